package io.tether.testbed.ecs;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The port mappings of {@code bridge}-mode containers. A mapping without a {@code hostPort} (or 0) gets a
 * dynamic one as the ECS agent picks it (agent/utils/ephemeral_ports.go): the next port after the last one
 * assigned, within the host's {@code ip_local_port_range} (32768-60999 by default), skipping ports in use,
 * and wrapping round. A mapping is published as DNAT rules ({@link Nat}) and is withdrawn when the container
 * stops, as Docker does; a stale endpoint can then name a host port another container gets later
 * (amazon-ecs-agent#1417), as on a real host.
 */
final class PortMapper {
  private final Nat nat;
  private final int first;
  private final int last;
  private final Set<String> published = new HashSet<>();
  private int lastAssigned;

  PortMapper(Nat nat) {
    this.nat = nat;
    int[] range = localPortRange();
    this.first = range[0];
    this.last = range[1];
  }

  /** Publishes {@code container}'s mappings to {@code ip}; throws Docker's error for a host port already taken. */
  synchronized List<EcsContainer.PortBinding> publish(List<ContainerDefinition.PortMapping> mappings, String ip) {
    List<EcsContainer.PortBinding> bindings = new ArrayList<>();
    try {
      for (ContainerDefinition.PortMapping m : mappings) {
        String protocol = m.protocol().toLowerCase();
        int hostPort = m.hostPort() != 0 ? m.hostPort() : dynamic(protocol);
        if (!published.add(protocol + "/" + hostPort)) {
          throw new IllegalStateException("Bind for 0.0.0.0:" + hostPort + " failed: port is already allocated");
        }
        bindings.add(new EcsContainer.PortBinding(m.containerPort(), hostPort, protocol, "0.0.0.0"));
        nat.publish(protocol, hostPort, ip, m.containerPort());
      }
      return List.copyOf(bindings);
    } catch (RuntimeException e) {
      unpublish(bindings, ip);
      throw e;
    }
  }

  synchronized void unpublish(List<EcsContainer.PortBinding> bindings, String ip) {
    for (EcsContainer.PortBinding b : bindings) {
      nat.unpublish(b.protocol(), b.hostPort(), ip, b.containerPort());
      published.remove(b.protocol() + "/" + b.hostPort());
    }
  }

  private int dynamic(String protocol) {
    int span = last - first + 1;
    int start = lastAssigned == 0 ? first : lastAssigned + 1;
    for (int i = 0; i < span; i++) {
      int port = first + Math.floorMod(start - first + i, span);
      if (!published.contains(protocol + "/" + port) && free(protocol, port)) {
        lastAssigned = port;
        return port;
      }
    }
    throw new IllegalStateException("a host port is unavailable in " + first + "-" + last);
  }

  /** Whether nothing on the host holds the port (the agent's isPortAvailable: it tries to listen). */
  private static boolean free(String protocol, int port) {
    try {
      if (protocol.equals("udp")) {
        new DatagramSocket(new InetSocketAddress(port)).close();
      } else {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(port));
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The host's ephemeral range (its namespace's sysctl), or the agent's fallback 49153-65535. */
  private static int[] localPortRange() {
    // Files.readString trusts the size procfs reports and reads a fragment: read the stream to its end.
    try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      String[] r = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      return new int[] {Integer.parseInt(r[0]), Integer.parseInt(r[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {49153, 65535};
    }
  }
}
