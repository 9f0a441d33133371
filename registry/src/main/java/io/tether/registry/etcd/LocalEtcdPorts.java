package io.tether.registry.etcd;

import io.tether.process.PortOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client and peer ports of a server's local etcd, chosen once per data directory and kept in
 * {@code ports} beside its data: the defaults when they are free, otherwise free ports, so that two
 * servers with different data directories on one machine do not collide. Explicit ports win.
 */
public record LocalEtcdPorts(int client, int peer) {
  public static final int DEFAULT_CLIENT = 12379;
  public static final int DEFAULT_PEER = 12380;

  /** The ports for {@code etcdDir}: explicit ones (when not null), else the recorded ones, else new ones. */
  public static LocalEtcdPorts forDataDir(Path etcdDir, Integer explicitClient, Integer explicitPeer) {
    Path file = etcdDir.resolve("ports");
    LocalEtcdPorts recorded = read(file);
    int client = explicitClient != null ? explicitClient : recorded != null ? recorded.client() : pick(DEFAULT_CLIENT, -1);
    int peer = explicitPeer != null ? explicitPeer : recorded != null ? recorded.peer() : pick(DEFAULT_PEER, client);
    LocalEtcdPorts ports = new LocalEtcdPorts(client, peer);
    if (!ports.equals(recorded)) {
      write(file, ports);
    }
    return ports;
  }

  private static int pick(int preferred, int taken) {
    if (preferred != taken && PortOwner.isFree("127.0.0.1", preferred)) {
      return preferred;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for the local etcd", e);
    }
  }

  private static LocalEtcdPorts read(Path file) {
    try {
      if (!Files.exists(file)) {
        return null;
      }
      String[] parts = Files.readString(file).trim().split("\\s+");
      return new LocalEtcdPorts(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (IOException | RuntimeException e) {
      throw new LocalEtcdException("cannot read the local etcd's ports from " + file + " (expected 'CLIENT PEER'): " + e.getMessage());
    }
  }

  private static void write(Path file, LocalEtcdPorts ports) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, ports.client() + " " + ports.peer() + "\n");
    } catch (IOException e) {
      throw new LocalEtcdException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
