package io.tether.agent.cli;

import io.tether.agent.bootstrap.ServedPort;
import io.tether.agent.inject.ServiceRequest;
import io.tether.model.Names;

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

  /**
   * {@code tether agent bootstrap --service NAME:INGRESS_PORT:[APP_HOST:]APP_PORT}: a service the task's
   * sidecar serves. Only the value itself is checked here; whether the ports of several clash is the
   * command's business.
   */
  static ServedPort servedPort(String arg) {
    String[] p = arg.split(":", -1);
    if (p.length != 3 && p.length != 4) {
      throw new IllegalArgumentException("--service '" + arg + "' must be NAME:INGRESS_PORT:APP_PORT "
          + "(e.g. payments:15000:8080) or NAME:INGRESS_PORT:APP_HOST:APP_PORT");
    }
    String what = "--service " + arg + ": ";
    if (!Names.isLabel(p[0])) {
      throw new IllegalArgumentException(what + "NAME '" + p[0] + "' is not a DNS label (lower-case letters, "
          + "digits and '-', at most 63)");
    }
    int ingress = port(what + "INGRESS_PORT", p[1]);
    int app = port(what + "APP_PORT", p[p.length - 1]);
    if (p.length == 4 && (p[2].isEmpty() || p[2].chars().anyMatch(c -> c <= ' ' || c == '/'))) {
      throw new IllegalArgumentException(what + "APP_HOST '" + p[2] + "' is not a host name or IP address");
    }
    return p.length == 3 ? new ServedPort(p[0], ingress, app) : new ServedPort(p[0], ingress, app, p[2]);
  }

  /**
   * {@code tether agent inject --service CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]]}: a container's
   * port mapping the injected sidecar serves. A different value from {@code bootstrap}'s (which names
   * ports, not port mappings) and from {@code run}'s (a bare discovery name), so a grammar of its own.
   */
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
