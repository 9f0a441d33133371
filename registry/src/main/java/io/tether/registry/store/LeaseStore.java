package io.tether.registry.store;

import static io.tether.registry.store.TxnOps.PREFIX;
import static io.tether.registry.store.TxnOps.bytes;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The agents' etcd leases, each recorded with its namespace on a key attached to it ({@code
 * leases/{id}/{ns}}, {@link LeaseRecord}) so that the record lives exactly as long as the lease: grant,
 * look up, renew once, revoke, and list. A listing shows each lease with what etcd says of it now, the
 * time it has left and the endpoints attached to it: one range read, then one time-to-live call per
 * listed lease, in parallel, so a listing costs the leases it shows.
 */
public final class LeaseStore {
  private final Client client;
  private final KV kv;
  private final KeyLayout keys;
  private final EtcdCalls etcd;

  /** A lease as listed; the id is a string in JSON (int64), see {@link io.tether.model.LeaseIdJson}. */
  public record LeaseStatus(@JsonSerialize(using = ToStringSerializer.class) long leaseId, String namespace,
      long ttlSeconds, long remainingSeconds, List<AttachedEndpoint> endpoints) {}

  public record AttachedEndpoint(String service, String id) {}

  LeaseStore(Client client, KeyLayout keys, EtcdCalls etcd) {
    this.client = client;
    this.kv = client.getKVClient();
    this.keys = keys;
    this.etcd = etcd;
  }

  /** Grants a lease and records its namespace on a key that lives exactly as long as the lease. */
  public CompletableFuture<LeaseRecord> grantLease(String namespace, long ttlSeconds) {
    return etcd.call("lease_grant", () -> client.getLeaseClient().grant(ttlSeconds)).thenCompose(grant -> {
      LeaseRecord lease = new LeaseRecord(grant.getID(), namespace, grant.getTTL());
      PutOption attached = PutOption.builder().withLeaseId(grant.getID()).build();
      return etcd.call("put", () -> kv.put(keys.lease(grant.getID(), namespace), bytes(Json.write(lease)), attached))
          .thenApply(put -> lease);
    });
  }

  /** The lease's record, or NOT_FOUND when it never existed or has expired. */
  public CompletableFuture<LeaseRecord> lease(long id) {
    return etcd.call("get", () -> kv.get(keys.leaseRecords(id), PREFIX)).thenApply(r -> {
      if (r.getKvs().isEmpty()) {
        throw new RegistryException(ErrorCode.NOT_FOUND, "lease " + id + " not found or expired", "leaseId");
      }
      return Json.read(r.getKvs().get(0).getValue().getBytes(), LeaseRecord.class);
    });
  }

  /** Renews a lease once; returns its TTL after renewal. */
  public CompletableFuture<Long> keepAlive(long id) {
    return etcd.call("lease_keepalive", () -> client.getLeaseClient().keepAliveOnce(id)).thenApply(r -> {
      if (r.getTTL() <= 0) {
        throw new RegistryException(ErrorCode.NOT_FOUND, "lease " + id + " not found or expired", "leaseId");
      }
      return r.getTTL();
    });
  }

  /** Revokes a lease: etcd deletes every endpoint attached to it in the same revision, which it returns. */
  public CompletableFuture<Long> revokeLease(long id) {
    return etcd.call("lease_revoke", () -> client.getLeaseClient().revoke(id)).thenApply(r -> r.getHeader().getRevision());
  }

  /**
   * For an endpoint write under the lease, given the lease's record as read: NOT_FOUND when there is
   * none, PERMISSION_DENIED when the lease belongs to another namespace.
   */
  static void requireLeaseOf(String ns, long leaseId, List<KeyValue> leaseKvs) {
    if (leaseKvs.isEmpty()) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "lease " + leaseId + " not found or expired", "leaseId");
    }
    LeaseRecord lease = Json.read(leaseKvs.get(0).getValue().getBytes(), LeaseRecord.class);
    if (lease.namespace() != null && !lease.namespace().equals(ns)) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED,
          "lease " + leaseId + " belongs to namespace '" + lease.namespace() + "'", "leaseId");
    }
  }

  /** The live leases of the namespaces {@code shown} accepts, by namespace and id. */
  public CompletableFuture<List<LeaseStatus>> list(Predicate<String> shown) {
    return etcd.call("get", () -> kv.get(keys.leaseRecords(), PREFIX)).thenCompose(r -> {
      List<CompletableFuture<LeaseStatus>> each = new ArrayList<>();
      for (KeyValue stored : r.getKvs()) {
        LeaseRecord lease = Json.read(stored.getValue().getBytes(), LeaseRecord.class);
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
