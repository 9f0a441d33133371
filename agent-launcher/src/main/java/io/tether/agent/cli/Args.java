package io.tether.agent.cli;

import io.tether.agent.inject.ServiceRequest;

/**
 * Option values the agent's commands share, parsed strictly. A malformed value throws
 * {@link IllegalArgumentException} whose message names the option and shows the expected form; the
 * commands turn it into a usage error (exit code 2).
 */
final class Args {
  private Args() {}

  /** A host (name, IPv4, or IPv6 in brackets) and port, as in {@code --xds}. */
  record HostPort(String host, int port) {}

  static int port(String what, String value) {
    try {
      return port(what, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a port number (1-65535)");
    }
  }

  static int port(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " " + port + " is not a port number (1-65535)");
    }
    return port;
  }

  static HostPort hostPort(String option, String value) {
    String host;
    String port;
    if (value.startsWith("[") && value.contains("]:")) {
      host = value.substring(1, value.indexOf("]:"));
      port = value.substring(value.indexOf("]:") + 2);
    } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    } else {
      throw new IllegalArgumentException(option + " '" + value + "' must be HOST:PORT (e.g. tether.internal:18000, "
          + "10.0.0.5:18000 or [fd00::5]:18000)");
    }
    if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
      throw new IllegalArgumentException(option + " '" + value + "': '" + host + "' is not a host name or IP address");
    }
    return new HostPort(host, port(option + " " + value + ": PORT", port));
  }

  /** {@code CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]]}. */
  static ServiceRequest serviceRequest(String arg) {
    String[] parts = arg.split(":", -1);
    if (parts.length < 2 || parts.length > 4 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException("--service '" + arg + "' must be " + ServiceRequest.SYNTAX
          + " (e.g. app:http or app:http:payments:15000)");
    }
    String discovery = parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null;
    Integer ingress = parts.length == 4 ? port("--service " + arg + ": INGRESSPORT", parts[3]) : null;
    return new ServiceRequest(parts[0], parts[1], discovery, ingress);
  }
}
