package io.tether.bench;

import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.xds.render.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario S5's load (benchmarks/README.md "ScaleBenchmark", churn): endpoint events at a fixed rate,
 * each to a random service of the namespace: an endpoint added (a new address each time), one removed, or
 * one's health moved on (healthy → unhealthy → draining → healthy), over the endpoints the churn added;
 * the two seeded endpoints of each service stay, so no service ever empties. A service's writes go to
 * etcd one after another, so its model here is etcd's order; each is logged ({@link WriteLog}) with the
 * fingerprint of what it leaves.
 */
final class Churn {
  private static final int MAX_ADDED = 6;
  private static final Health[] CYCLE = {Health.HEALTHY, Health.UNHEALTHY, Health.DRAINING};

  private final RegistryStore store;
  private final String ns;
  private final List<Map<String, Endpoint>> model = new ArrayList<>();
  private final List<CompletableFuture<?>> chains = new ArrayList<>();
  private final Random random = new Random(13);
  private final AtomicLong failures = new AtomicLong();
  private final WriteLog log = new WriteLog();
  private int added;

  /** Churn over {@code services} services seeded with two endpoints each ({@link ScaleServer}). */
  Churn(RegistryStore store, String ns, int services, Map<Integer, Map<String, Endpoint>> seeded) {
    this.store = store;
    this.ns = ns;
    for (int i = 0; i < services; i++) {
      model.add(new TreeMap<>(seeded.get(i)));
      chains.add(CompletableFuture.completedFuture(null));
    }
  }

  WriteLog log() {
    return log;
  }

  long failures() {
    return failures.get();
  }

  /** Runs {@code rate} events a second for {@code seconds}; returns once every write has completed. */
  long run(int rate, int seconds) throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    long total = (long) rate * seconds;
    AtomicLong issued = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    timer.scheduleAtFixedRate(() -> {
      if (issued.incrementAndGet() > total) {
        done.complete(null);
        return;
      }
      event();
    }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
    done.get(seconds * 3L + 60, TimeUnit.SECONDS);
    timer.shutdownNow();
    CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return total;
  }

  /** One event to a random service, chained after that service's previous write. */
  private void event() {
    int s = random.nextInt(model.size());
    String svc = "svc" + s;
    Map<String, Endpoint> endpoints = model.get(s);
    List<String> churned = endpoints.keySet().stream().filter(id -> id.startsWith("c")).toList();
    int op = churned.isEmpty() ? 0 : churned.size() >= MAX_ADDED ? 1 + random.nextInt(2) : random.nextInt(3);
    long start = System.nanoTime();
    java.util.function.Supplier<CompletableFuture<?>> write;
    if (op == 0) {
      String id = "c" + (added++);
      Endpoint e = new Endpoint("10.1." + (added / 250 % 250) + "." + (added % 250 + 1), 8000 + s, null, null, null,
          null, null, null);
      endpoints.put(id, e);
      write = () -> store.putEndpoint(ns, svc, id, e, Precondition.NONE);
    } else if (op == 1) {
      String id = churned.get(random.nextInt(churned.size()));
      endpoints.remove(id);
      write = () -> store.deleteEndpoint(ns, svc, id, Precondition.NONE);
    } else {
      String id = churned.get(random.nextInt(churned.size()));
      Endpoint e = endpoints.get(id);
      Endpoint moved = e.withHealth(CYCLE[(e.healthOrDefault().ordinal() + 1) % CYCLE.length]);
      endpoints.put(id, moved);
      write = () -> store.putEndpoint(ns, svc, id, moved, Precondition.NONE);
    }
    log.add(ResourceNames.cluster(ns, svc), start, EndpointSet.of(endpoints.values()));
    chains.set(s, chains.get(s).thenCompose(x -> write.get()).exceptionally(t -> {
      failures.incrementAndGet();
      return null;
    }));
  }
}
