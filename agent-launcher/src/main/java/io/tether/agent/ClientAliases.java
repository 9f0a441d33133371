package io.tether.agent;

import io.tether.agent.hosts.HostsFile;
import io.tether.agent.registry.RegistryClient;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A namespace's client aliases in a hosts file, refreshed every 10 s (aliases change with services). */
final class ClientAliases {
  private static final Logger log = LoggerFactory.getLogger(AgentTask.class);

  private final HostsFile hosts;

  private ClientAliases(HostsFile hosts) {
    this.hosts = hosts;
  }

  /** Writes the namespace's aliases now, and on {@code timer} every 10 s until it is shut down. */
  static ClientAliases publish(HostsFile hosts, RegistryClient registry, String namespace,
      ScheduledExecutorService timer) {
    Runnable refresh = () -> {
      try {
        hosts.write(registry.aliases(namespace));
      } catch (RuntimeException | IOException e) {
        log.warn("could not refresh client aliases: {}", e.getMessage());
      }
    };
    refresh.run();
    timer.scheduleWithFixedDelay(refresh, 10, 10, TimeUnit.SECONDS);
    return new ClientAliases(hosts);
  }

  /** Takes the aliases out of the hosts file again; a failure is logged, not thrown. */
  void remove() {
    try {
      if (hosts.remove()) {
        log.info("client aliases removed from {}", hosts.path());
      }
    } catch (IOException e) {
      log.warn("could not remove the client aliases from {}: {}", hosts.path(), e.getMessage());
    }
  }
}
