package io.tether.testbed.demo;

import io.tether.testbed.NetnsHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the demo's tasks run. As root, each task gets a host of its own: a network namespace with its
 * own address, where every task uses the agent's default ports, and the server listens on the root
 * side of the first host's link. Otherwise they share this machine's loopback, each with ports of its
 * own; their Envoys' egress listeners then share each alias's address (Envoy binds with SO_REUSEPORT),
 * so a call may pass through any task's sidecar, which all hold the same routes.
 */
final class DemoHosts implements AutoCloseable {
  /** A task's host: the address it registers, its app, ingress and Envoy admin ports, how it is shown. */
  record Host(String name, String address, int appPort, int ingressPort, int adminPort, String where) {}

  private final NetnsHosts netns;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  final String serverAddress;

  private DemoHosts(NetnsHosts netns, String serverAddress) {
    this.netns = netns;
    this.serverAddress = serverAddress;
  }

  /** One network namespace per name. */
  static DemoHosts namespaces(List<String> names) {
    NetnsHosts netns = new NetnsHosts(names);
    DemoHosts demo = new DemoHosts(netns, netns.host(names.get(0)).rootAddress());
    for (String name : names) {
      NetnsHosts.Host h = netns.host(name);
      demo.hosts.put(name, new Host(name, h.address(), 8081, 15000, 9901, "netns " + h.netns() + ", " + h.address()));
    }
    return demo;
  }

  /** One loopback, distinct free ports per name. */
  static DemoHosts loopback(List<String> names) {
    DemoHosts demo = new DemoHosts(null, "127.0.0.1");
    for (String name : names) {
      int app = freePort();
      int ingress = freePort();
      int admin = freePort();
      demo.hosts.put(name, new Host(name, "127.0.0.1", app, ingress, admin,
          "127.0.0.1, app port " + app + ", ingress " + ingress + ", Envoy admin " + admin));
    }
    return demo;
  }

  boolean isolated() {
    return netns != null;
  }

  Host host(String name) {
    return hosts.get(name);
  }

  /** {@code command} as it runs on {@code host}: inside its namespace, or as it is. */
  List<String> exec(Host host, List<String> command) {
    return netns == null ? new ArrayList<>(command) : netns.exec(netns.host(host.name()), command);
  }

  /** The shell prefix that runs a command on {@code host}, for the hints the demo prints. */
  String shellPrefix(Host host) {
    return netns == null ? "" : "ip netns exec " + netns.host(host.name()).netns() + " ";
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (netns != null) {
      netns.close();
    }
  }
}
