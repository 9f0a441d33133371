package io.tether.agent.ecs;

/** A host (name, IPv4, or IPv6 in brackets) and a port, as the task agent's variables give them. */
public record HostPort(String host, int port) {
  /**
   * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}.
   *
   * @param variable the environment variable it came from, named in the error
   * @throws IllegalArgumentException saying what to set
   */
  public static HostPort parse(String variable, String value) {
    int colon = value.lastIndexOf(':');
    boolean bracketed = value.startsWith("[") && colon > 0 && value.charAt(colon - 1) == ']';
    String host = bracketed ? value.substring(1, colon - 1) : colon > 0 ? value.substring(0, colon) : "";
    if (host.isEmpty() || (!bracketed && host.contains(":")) || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
      throw new IllegalArgumentException(variable + "='" + value + "': set it to HOST:PORT (e.g. 172.17.0.1:15101 "
          + "or [fd00::1]:15101)");
    }
    String port = value.substring(colon + 1);
    try {
      return new HostPort(host, EcsEnvironment.port(variable, port));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + "='" + value + "': '" + port + "' is not a port number (1-65535)");
    }
  }

  /** {@code host:port}, the IPv6 literal in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
