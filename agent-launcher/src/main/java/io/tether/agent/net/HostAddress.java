package io.tether.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The address other hosts reach this one at, when {@code --address} is not given. Not
 * {@code InetAddress.getLocalHost()}: that is whatever the host name resolves to, often 127.0.0.1
 * or Debian's 127.0.1.1, which other hosts cannot reach. It is the IPv4 address of the default
 * route's interface, else the first address of an up, non-loopback interface that is not
 * link-local; a loopback address only when allowed (a single-host mesh), never silently.
 */
public final class HostAddress {
  private static final Path ROUTES = Path.of("/proc/net/route");

  /** An address and why it was chosen, for the agent's log. */
  public record Choice(String address, String reason) {}

  /** What the choice looks at of one interface. */
  public record Nic(String name, boolean up, boolean loopback, List<InetAddress> addresses) {}

  private HostAddress() {}

  /** Looks at this host's routes and interfaces. */
  public static Choice ofThisHost(boolean allowLoopback) {
    return choose(routes(), interfaces(), allowLoopback);
  }

  /**
   * @param routes the text of /proc/net/route ("" where there is none)
   * @throws IllegalStateException when there is no routable address and loopback is not allowed
   */
  static Choice choose(String routes, List<Nic> nics, boolean allowLoopback) {
    Optional<String> routeInterface = defaultRouteInterface(routes);
    return routeInterface.flatMap(name -> ofRouteInterface(name, nics))
        .or(() -> firstRoutable(nics, routeInterface.map(n -> "the default route's interface " + n
            + " has no IPv4 address").orElse("no default route")))
        .or(() -> Optional.ofNullable(allowLoopback ? new Choice("127.0.0.1", "no non-loopback address on this "
            + "host, and --allow-loopback-address: only this host can reach the task") : null))
        .orElseThrow(() -> new IllegalStateException("this host has no non-loopback address to register: pass "
            + "--address IP (the address other hosts reach this one at), or --allow-loopback-address to register "
            + "127.0.0.1 for a single-host mesh"));
  }

  private static Optional<Choice> ofRouteInterface(String name, List<Nic> nics) {
    return nics.stream().filter(n -> n.name().equals(name)).findFirst()
        .flatMap(nic -> routable(nic).filter(a -> a instanceof Inet4Address).findFirst())
        .map(a -> new Choice(text(a), "the address of " + name + ", the default route's interface"));
  }

  /** The first interface's routable address, IPv4 before IPv6. */
  private static Optional<Choice> firstRoutable(List<Nic> nics, String why) {
    for (Nic nic : nics) {
      Optional<InetAddress> address = routable(nic).min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
      if (address.isPresent()) {
        return Optional.of(new Choice(text(address.get()), "the address of " + nic.name()
            + ", the first non-loopback interface (" + why + ")"));
      }
    }
    return Optional.empty();
  }

  /** The interface of the default route with the lowest metric, from /proc/net/route's text. */
  static Optional<String> defaultRouteInterface(String routes) {
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : routes.lines().skip(1).toList()) {
      // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; hex fields; flag 0x1 is RTF_UP
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000") || !f[3].matches("[0-9A-Fa-f]+")
          || (Long.parseLong(f[3], 16) & 1) == 0 || !f[6].matches("\\d+")) {
        continue;
      }
      long metric = Long.parseLong(f[6]);
      if (metric < bestMetric) {
        best = f[0];
        bestMetric = metric;
      }
    }
    return Optional.ofNullable(best);
  }

  private static Stream<InetAddress> routable(Nic nic) {
    if (!nic.up() || nic.loopback()) {
      return Stream.empty();
    }
    return nic.addresses().stream().filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()
        && !a.isAnyLocalAddress());
  }

  private static String routes() {
    try {
      return Files.readString(ROUTES);
    } catch (IOException e) {
      return ""; // not Linux: the interfaces alone decide
    }
  }

  /** This host's interfaces in the kernel's order (by index), so that "the first" means the same each time. */
  private static List<Nic> interfaces() {
    List<Nic> nics = new ArrayList<>();
    try {
      List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
      all.sort(Comparator.comparingInt(NetworkInterface::getIndex));
      for (NetworkInterface ni : all) {
        nics.add(new Nic(ni.getName(), ni.isUp(), ni.isLoopback(), Collections.list(ni.getInetAddresses())));
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list this host's network interfaces: " + e.getMessage(), e);
    }
    return nics;
  }

  /** Without the "%eth0" scope Java appends to the IPv6 addresses of an interface. */
  private static String text(InetAddress address) {
    String text = address.getHostAddress();
    return text.contains("%") ? text.substring(0, text.indexOf('%')) : text;
  }
}
