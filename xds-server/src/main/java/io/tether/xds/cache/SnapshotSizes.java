package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the served snapshots weigh, summed over the groups of each namespace, by type: resources and
 * their serialized bytes ({@code tether_xds_snapshot_resources}, {@code tether_xds_snapshot_bytes}).
 * Groups report differences as they publish ({@link GroupLedger}), so nothing is recounted; labels are
 * namespace and type only, so their number is bounded by the namespaces served, not the proxies.
 */
final class SnapshotSizes {
  /** One namespace's totals, by type. */
  static final class Totals {
    private final Map<ResourceType, AtomicLong> resources = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, AtomicLong> bytes = new EnumMap<>(ResourceType.class);

    void add(ResourceType type, long resourceDelta, long byteDelta) {
      AtomicLong r = resources.get(type);
      if (r != null) {
        r.addAndGet(resourceDelta);
        bytes.get(type).addAndGet(byteDelta);
      }
    }
  }

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Totals> byNamespace = new ConcurrentHashMap<>();

  SnapshotSizes(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A namespace's totals, its gauges registered on first use; they stay (at 0) when its groups are gone. */
  Totals of(String namespace) {
    return byNamespace.computeIfAbsent(namespace, this::register);
  }

  private Totals register(String namespace) {
    Totals t = new Totals();
    CacheMeters.TYPES.forEach((type, name) -> {
      AtomicLong r = new AtomicLong();
      AtomicLong b = new AtomicLong();
      t.resources.put(type, r);
      t.bytes.put(type, b);
      Gauge.builder("tether.xds.snapshot.resources", r, AtomicLong::get).tag("namespace", namespace).tag("type", name)
          .description("resources in the snapshots served, summed over the namespace's node groups").register(registry);
      Gauge.builder("tether.xds.snapshot", b, AtomicLong::get).baseUnit("bytes").tag("namespace", namespace)
          .tag("type", name).description("serialized size of those resources, summed likewise").register(registry);
    });
    return t;
  }
}
