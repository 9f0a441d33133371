package io.tether.agent.host;

import io.tether.agent.hosts.HostsFile;
import io.tether.agent.registry.RegistryClient;
import io.tether.model.VipRange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace's client aliases as this host serves them: each alias name to its registry VIP
 * re-based into the host's {@code vipRange} ({@link VipRange#rebase}), where the egress Envoy listens.
 * Read from the registry ({@link RegistryClient#aliases}, as {@code agent run} fills its hosts file)
 * every refresh period, so that an alias made after a task started resolves within that period. It is
 * written to the hosts file's managed block when one is configured (always in place: host-mode
 * containers bind-mount the file, see {@link HostsFile#rewrittenInPlace}), and served to the DNS
 * server through {@link #get}. When the registry cannot be read, the last table is kept (logged once
 * per outage).
 *
 * <p>Thread confinement: refreshes run on its one thread, {@code tether-host-names}; {@link #get} may
 * be called from any thread and never blocks: it reads an immutable map through a volatile field.
 */
public final class AliasTable implements Supplier<Map<String, String>>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AliasTable.class);

  private final RegistryClient registry;
  private final String namespace;
  private final VipRange range;
  private final HostsFile hosts;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-host-names");
    t.setDaemon(true);
    return t;
  });
  private volatile Map<String, String> names = Map.of();
  private boolean failing;

  private AliasTable(RegistryClient registry, String namespace, VipRange range, HostsFile hosts) {
    this.registry = registry;
    this.namespace = namespace;
    this.range = range;
    this.hosts = hosts;
  }

  /**
   * Reads the aliases once (waiting for it, so that the first answers are not empty when the registry
   * answers), then every {@code every}.
   *
   * @param hosts the hosts file to keep current, or null for none
   */
  static AliasTable start(RegistryClient registry, String namespace, VipRange range, HostsFile hosts, Duration every)
      throws InterruptedException {
    AliasTable table = new AliasTable(registry, namespace, range, hosts);
    try {
      table.thread.submit(table::refresh).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the first read of the aliases failed", e.getCause());
    }
    table.thread.scheduleWithFixedDelay(table::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return table;
  }

  /** Alias name to VIP in this host's range: immutable, the latest read. */
  @Override
  public Map<String, String> get() {
    return names;
  }

  private void refresh() {
    Map<String, String> rebased;
    try {
      rebased = rebase(registry.aliases(namespace));
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("cannot read the aliases of namespace {} ({}); serving the last ones read ({} names) until it answers",
            namespace, e.getMessage(), names.size());
        failing = true;
      }
      return;
    }
    if (failing) {
      log.info("the aliases of namespace {} can be read again", namespace);
      failing = false;
    }
    if (!rebased.equals(names)) {
      log.info("aliases of {}: {}", namespace, rebased);
      names = rebased;
    }
    writeHosts(rebased);
  }

  private Map<String, String> rebase(Map<String, String> registryVips) {
    Map<String, String> out = new TreeMap<>();
    registryVips.forEach((name, vip) -> out.put(name, range.rebase(vip)));
    return Map.copyOf(out);
  }

  /** Every time, not only on change: someone may have edited the file; an unchanged block is not written. */
  private void writeHosts(Map<String, String> table) {
    if (hosts == null) {
      return;
    }
    try {
      hosts.write(table);
    } catch (IOException | RuntimeException e) {
      log.warn("could not write the aliases to {}: {}", hosts.path(), e.getMessage());
    }
  }

  /** Stops refreshing and takes the block out of the hosts file again; a failure is logged, not thrown. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (hosts != null) {
      try {
        hosts.remove();
      } catch (IOException e) {
        log.warn("could not remove the aliases from {}: {}", hosts.path(), e.getMessage());
      }
    }
  }
}
