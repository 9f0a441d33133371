package io.tether.model;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;

/** The rules of a namespace's {@code tracing} ({@link Tracing}); every error names its JSON path. */
final class TracingValidation {
  private TracingValidation() {}

  static void tracing(Tracing t) {
    if (t.collector() == null || !isCollector(t.collector())) {
      throw new InvalidSpecException("tracing.collector",
          "tracing.collector must be HOST:PORT (an IP address or DNS name, and a port), was "
              + (t.collector() == null ? "missing" : "'" + t.collector() + "'"));
    }
    Double percent = t.samplingPercent();
    if (percent != null && (percent < 0 || percent > 100)) {
      throw new InvalidSpecException("tracing.samplingPercent",
          "tracing.samplingPercent must be between 0 and 100, was " + percent);
    }
  }

  /** A port from 1 to 65535 and a host Envoy can connect to as given: an IP literal (no zone) or a DNS name. */
  private static boolean isCollector(String collector) {
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(collector);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (!hp.hasPort() || hp.getPort() < 1 || hp.getHost().indexOf('%') >= 0) {
      return false;
    }
    String host = hp.getHost();
    boolean bracketed = collector.startsWith("[");
    if (InetAddresses.isInetAddress(host)) {
      return bracketed == host.contains(":"); // an IPv6 literal needs its brackets, IPv4 has none
    }
    return !bracketed && Names.isDnsName(host);
  }
}
