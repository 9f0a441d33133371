package io.tether.agent.host;

import java.time.Duration;

/**
 * Where the host agent's DNS implementation is chosen: the one place {@code io.tether.agent.dns.AliasDns}
 * is wired in.
 */
public final class NameServers {
  /** How long a forwarded query may wait for the host's resolver. */
  static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);

  private NameServers() {}

  /**
   * The DNS server of docs/ecs.md.
   *
   * <p>WIRING POINT (at the merge of the dns branch): replace the body with
   * <pre>{@code
   * return (listen, names) -> {
   *   AliasDns dns = AliasDns.start(listen, names,
   *       AliasDns.upstreamsFrom(java.nio.file.Path.of("/etc/resolv.conf")), UPSTREAM_TIMEOUT);
   *   return new NameServer() {
   *     public InetSocketAddress address() { return dns.address(); }
   *     public void close() { dns.close(); }
   *   };
   * };
   * }</pre>
   * Until then, a config with {@code dns} other than {@code none} fails at start-up, saying so.
   */
  public static NameServer.Factory aliasDns() {
    return (listen, names) -> {
      throw new IllegalStateException("DNS not wired: this build of the host agent has no DNS server yet; "
          + "set dns: none in the config (bridge-mode tasks then cannot resolve aliases by name)");
    };
  }
}
