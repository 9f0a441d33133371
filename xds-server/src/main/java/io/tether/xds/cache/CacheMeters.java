package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cache's meters (docs/metrics.md): responses pushed and NACKs received by type and protocol, and
 * the time from the registry view's receipt of a change to a client's ACK of it, and the responses
 * carrying a change that await their reply. All are made up front, so counting a response is one
 * increment, whatever the number of proxies.
 */
final class CacheMeters {
  /** The served types and their label: what /v1/proxies calls them, in lower case. */
  static final Map<ResourceType, String> TYPES = Map.of(ResourceType.LISTENER, "lds", ResourceType.ROUTE, "rds",
      ResourceType.CLUSTER, "cds", ResourceType.ENDPOINT, "eds", ResourceType.SECRET, "sds");
  /** Service-level buckets of the write-to-ACK histogram, from 5 ms to 10 s. */
  static final Duration[] ACK_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final Map<ResourceType, Counter[]> pushes = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Counter[]> nacks = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Timer> writeToAck = new EnumMap<>(ResourceType.class);
  /** Responses that carry a registry change and are not answered yet, over every stream and type. */
  private final AtomicLong changesInFlight = new AtomicLong();
  final SnapshotSizes sizes;

  CacheMeters(MeterRegistry registry) {
    sizes = new SnapshotSizes(registry);
    TYPES.forEach((type, name) -> {
      pushes.put(type, byProtocol(registry, "tether.xds.pushes", "xDS responses sent", name));
      nacks.put(type, byProtocol(registry, "tether.xds.nacks", "xDS responses a client rejected", name));
      writeToAck.put(type, Timer.builder("tether.xds.write.to.ack").tag("type", name)
          .description("from the registry view's receipt of an etcd revision to a client's ACK of it")
          .serviceLevelObjectives(ACK_BUCKETS).minimumExpectedValue(ACK_BUCKETS[0])
          .maximumExpectedValue(ACK_BUCKETS[ACK_BUCKETS.length - 1]).register(registry));
    });
    Gauge.builder("tether.xds.changes.in.flight", changesInFlight, AtomicLong::get)
        .description("xDS responses carrying a registry change that their client has not answered yet")
        .register(registry);
  }

  /** A response carrying a change went out ({@code +1}), or was answered or abandoned ({@code -1}). */
  void changeInFlight(int delta) {
    changesInFlight.addAndGet(delta);
  }

  long changesInFlight() {
    return changesInFlight.get();
  }

  void pushed(ResourceType type, boolean delta) {
    Counter[] c = pushes.get(type);
    if (c != null) {
      c[delta ? 1 : 0].increment();
    }
  }

  void nacked(ResourceType type, boolean delta) {
    Counter[] c = nacks.get(type);
    if (c != null) {
      c[delta ? 1 : 0].increment();
    }
  }

  void acked(ResourceType type, long changeReceivedAtNanos) {
    Timer t = writeToAck.get(type);
    if (t != null) {
      t.record(System.nanoTime() - changeReceivedAtNanos, TimeUnit.NANOSECONDS);
    }
  }

  private static Counter[] byProtocol(MeterRegistry registry, String name, String description, String type) {
    return new Counter[] {
        Counter.builder(name).description(description).tag("type", type).tag("protocol", "sotw").register(registry),
        Counter.builder(name).description(description).tag("type", type).tag("protocol", "delta").register(registry)};
  }
}
