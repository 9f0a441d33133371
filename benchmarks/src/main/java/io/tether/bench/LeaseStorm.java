package io.tether.bench;

import io.tether.model.Endpoint;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario S6's load (benchmarks/README.md "ScaleBenchmark", lease storm): {@code leases} leases, as many
 * agents, each holding {@code perLease} endpoints spread over the namespace's services, then every lease
 * revoked at once, so that etcd deletes all their endpoints within one burst of revisions. The revoke's
 * own time (first call to the last answer) is what the clients' drop is measured against.
 */
final class LeaseStorm {
  private final RegistryStore store;
  private final String ns;
  private final int services;
  private final List<Long> leases = new ArrayList<>();

  LeaseStorm(RegistryStore store, String ns, int services) {
    this.store = store;
    this.ns = ns;
    this.services = services;
  }

  /** Grants the leases (long TTLs: they expire only by the revoke) and registers their endpoints. */
  void seed(int count, int perLease) throws Exception {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long lease = store.leases().grantLease(ns, 600).get(10, TimeUnit.SECONDS).leaseId();
      leases.add(lease);
      for (int k = 0; k < perLease; k++) {
        int n = i * perLease + k;
        Endpoint e = new Endpoint("10.200." + (n / 250) + "." + (n % 250 + 1), 9000, null, null, null, null, null,
            lease);
        writes.add(store.putEndpoint(ns, "svc" + (n % services), "storm-" + n, e, Precondition.NONE));
      }
      if (writes.size() >= 200) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        writes.clear();
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  /** Revokes every lease at once; returns the nanoTime when etcd had answered the last revoke. */
  long revokeAll() throws Exception {
    List<CompletableFuture<?>> revokes = new ArrayList<>();
    for (long lease : leases) {
      revokes.add(store.leases().revokeLease(lease));
    }
    CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return System.nanoTime();
  }
}
