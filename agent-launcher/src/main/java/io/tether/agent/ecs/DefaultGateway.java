package io.tether.agent.ecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway, from the kernel's routing table ({@code /proc/net/route}). In an ECS
 * bridge-mode container that is the docker bridge's address on the host, where the host agent listens.
 */
public final class DefaultGateway {
  private static final Path ROUTES = Path.of("/proc/net/route");
  private static final int RTF_UP = 0x1;
  private static final int RTF_GATEWAY = 0x2;

  private DefaultGateway() {}

  /** This container's default gateway; empty when it has none (or this is not Linux). */
  public static Optional<String> ofThisContainer() {
    try {
      return parse(Files.readString(ROUTES));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The gateway of the up default route with the lowest metric. The table's columns are
   * {@code Iface Destination Gateway Flags RefCnt Use Metric Mask …}; addresses are 32-bit hex in the
   * kernel's (little-endian) byte order: {@code 010011AC} is 172.17.0.1.
   */
  static Optional<String> parse(String routes) {
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : routes.lines().skip(1).toList()) {
      String[] f = line.trim().split("\\s+");
      boolean defaultRoute = f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000");
      if (!defaultRoute || !f[2].matches("[0-9A-Fa-f]{8}") || !f[3].matches("[0-9A-Fa-f]{1,8}") || !f[6].matches("\\d+")) {
        continue;
      }
      long flags = Long.parseLong(f[3], 16);
      long metric = Long.parseLong(f[6]);
      if ((flags & RTF_UP) != 0 && (flags & RTF_GATEWAY) != 0 && metric < bestMetric) {
        best = address(f[2]);
        bestMetric = metric;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code 010011AC} → 172.17.0.1: the low byte comes first. */
  private static String address(String hex) {
    long value = Long.parseLong(hex, 16);
    return (value & 0xff) + "." + ((value >> 8) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 24) & 0xff);
  }
}
