package io.tether.registry.store;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import io.tether.model.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The agent leases the registry recorded ({@code leases/{id}/{ns}}, {@link LeaseRecord}), each with what
 * etcd says of it now: the time it has left and the endpoints attached to it. One range read, then one
 * time-to-live call per listed lease, in parallel: a listing costs the leases it shows.
 */
public final class LeaseListing {
  private final Client client;
  private final KeyLayout keys;
  private final EtcdCalls etcd;

  /** A lease as listed; the id is a string in JSON (int64), see {@link io.tether.model.LeaseIdJson}. */
  public record LeaseStatus(@JsonSerialize(using = ToStringSerializer.class) long leaseId, String namespace,
      long ttlSeconds, long remainingSeconds, List<AttachedEndpoint> endpoints) {}

  public record AttachedEndpoint(String service, String id) {}

  LeaseListing(Client client, KeyLayout keys, EtcdCalls etcd) {
    this.client = client;
    this.keys = keys;
    this.etcd = etcd;
  }

  /** The live leases of the namespaces {@code shown} accepts, by namespace and id. */
  public CompletableFuture<List<LeaseStatus>> list(Predicate<String> shown) {
    return etcd.call("get", () -> client.getKVClient().get(keys.leaseRecords(), TxnOps.PREFIX)).thenCompose(r -> {
      List<CompletableFuture<LeaseStatus>> each = new ArrayList<>();
      for (KeyValue kv : r.getKvs()) {
        LeaseRecord lease = Json.read(kv.getValue().getBytes(), LeaseRecord.class);
        if (lease.namespace() != null && shown.test(lease.namespace())) {
          each.add(status(lease));
        }
      }
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> each.stream()
          .map(CompletableFuture::join).filter(s -> s.remainingSeconds() > 0)
          .sorted(Comparator.comparing(LeaseStatus::namespace).thenComparingLong(LeaseStatus::leaseId)).toList());
    });
  }

  private CompletableFuture<LeaseStatus> status(LeaseRecord lease) {
    LeaseOption withKeys = LeaseOption.builder().withAttachedKeys().build();
    return etcd.call("lease_ttl", () -> client.getLeaseClient().timeToLive(lease.leaseId(), withKeys)).thenApply(t -> {
      List<AttachedEndpoint> endpoints = new ArrayList<>();
      for (ByteSequence key : t.getKeys()) {
        if (keys.parse(key) instanceof RegistryKey.EndpointKey e) {
          endpoints.add(new AttachedEndpoint(e.service(), e.endpointId()));
        }
      }
      endpoints.sort(Comparator.comparing(AttachedEndpoint::service).thenComparing(AttachedEndpoint::id));
      return new LeaseStatus(lease.leaseId(), lease.namespace(), t.getGrantedTTL(), t.getTTL(), endpoints);
    });
  }
}
