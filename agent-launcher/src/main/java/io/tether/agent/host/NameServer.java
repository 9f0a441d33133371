package io.tether.agent.host;

import io.tether.agent.relay.SourceFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The DNS server bridge-mode tasks resolve through (docs/ecs.md "Names that follow the registry"): it
 * answers alias names from the live alias table and forwards every other name to the host's
 * resolvers. The host agent starts one when {@code dns} is not {@code none}, through a {@link Factory};
 * the implementation is chosen in one place, {@link NameServers#aliasDns}.
 */
public interface NameServer extends AutoCloseable {
  /** Where it is bound (the real port when 0 was asked for). */
  InetSocketAddress address();

  @Override
  void close();

  /** Starts a name server. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param sources the sources it answers (the relays' {@code allowedSources}): others get nothing
     * @param names alias name to VIP, the latest table: thread-safe and non-blocking ({@link AliasTable#get})
     * @throws IOException when it cannot bind {@code listen}
     */
    NameServer start(InetSocketAddress listen, SourceFilter sources, Supplier<Map<String, String>> names)
        throws IOException;
  }
}
