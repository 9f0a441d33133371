package io.tether.agent.host;

import io.tether.agent.dns.AliasDns;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/** Where the host agent's DNS implementation is chosen: the one place {@link AliasDns} is wired in. */
public final class NameServers {
  /** How long a forwarded query may wait for one of the host's resolvers. */
  static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
  private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

  private NameServers() {}

  /** The DNS server of docs/ecs.md: aliases from the live table, every other name to the host's resolvers. */
  public static NameServer.Factory aliasDns() {
    return (listen, sources, names) -> {
      AliasDns dns = AliasDns.start(listen, names, AliasDns.upstreamsFrom(RESOLV_CONF, listen), UPSTREAM_TIMEOUT,
          sources::allows);
      return new NameServer() {
        @Override
        public InetSocketAddress address() {
          return dns.address();
        }

        @Override
        public void close() {
          dns.close();
        }
      };
    };
  }
}
