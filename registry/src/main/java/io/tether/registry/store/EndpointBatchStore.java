package io.tether.registry.store;

import static io.tether.registry.store.TxnOps.PREFIX;
import static io.tether.registry.store.TxnOps.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.tether.model.Endpoint;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Registers many endpoints of one namespace in one etcd transaction, all or nothing (README, "REST
 * API", {@code PUT /v1/namespaces/{ns}/endpoints}): an agent with many tasks pays one round trip and one
 * raft entry for all of them instead of one each. The compares are the single write's invariants, each
 * once per distinct service and lease (the service exists; the lease exists in this namespace); only
 * when one fails does the else-branch read back what is needed to say which entry is to blame.
 * Callers validate the entries first and keep a batch within etcd's operations per transaction.
 */
public final class EndpointBatchStore {
  /** One endpoint to write: its service, id and validated value. */
  public record Entry(String service, String id, Endpoint endpoint) {}

  /** The committed batch: its etcd revision, and per entry (in order) whether it created the endpoint. */
  public record BatchWritten(long revision, List<Boolean> created) {}

  private final KV kv;
  private final KeyLayout keys;
  private final EtcdCalls etcd;
  private final CasWriter cas;

  EndpointBatchStore(KV kv, KeyLayout keys, EtcdCalls etcd, CasWriter cas) {
    this.kv = kv;
    this.keys = keys;
    this.etcd = etcd;
    this.cas = cas;
  }

  /** Writes every entry or none; NOT_FOUND or PERMISSION_DENIED names the first entry to blame, as {@code endpoints[i]}. */
  public CompletableFuture<BatchWritten> put(String ns, List<Entry> entries) {
    Map<String, Integer> services = firstIndexBy(entries, Entry::service);
    Map<Long, Integer> leases = firstIndexBy(entries, e -> e.endpoint().leaseId());
    List<Cmp> ifs = new ArrayList<>();
    List<Op> diagnose = new ArrayList<>();
    services.keySet().forEach(svc -> {
      ifs.add(TxnOps.present(keys.service(ns, svc)));
      diagnose.add(Op.get(keys.service(ns, svc), GetOption.DEFAULT));
    });
    leases.keySet().forEach(lease -> {
      ifs.add(TxnOps.present(keys.lease(lease, ns)));
      diagnose.add(Op.get(keys.leaseRecords(lease), PREFIX));
    });
    Op[] then = entries.stream().map(e -> put(ns, e)).toArray(Op[]::new);
    return cas.retrying(() -> etcd.call("txn", () -> kv.txn().If(ifs.toArray(Cmp[]::new)).Then(then)
        .Else(diagnose.toArray(Op[]::new)).commit()).thenApply(t -> outcome(ns, t, services, leases)));
  }

  private Op put(String ns, Entry e) {
    PutOption.Builder option = PutOption.builder().withPrevKV(); // prevKV tells create from update
    if (e.endpoint().leaseId() != null) {
      option.withLeaseId(e.endpoint().leaseId());
    }
    ByteSequence key = keys.endpoint(ns, e.service(), e.id());
    return Op.put(key, bytes(Json.write(e.endpoint())), option.build());
  }

  /** The batch as written; when a compare failed, the refusal naming its entry, or empty (moved under us: retry). */
  private static Optional<BatchWritten> outcome(String ns, TxnResponse t, Map<String, Integer> services,
      Map<Long, Integer> leases) {
    if (t.isSucceeded()) {
      List<Boolean> created = t.getPutResponses().stream().map(p -> !p.hasPrevKv()).toList();
      return Optional.of(new BatchWritten(t.getHeader().getRevision(), created));
    }
    int k = 0;
    for (Map.Entry<String, Integer> svc : services.entrySet()) {
      if (t.getGetResponses().get(k++).getKvs().isEmpty()) {
        throw new RegistryException(ErrorCode.NOT_FOUND, "service '" + ns + "/" + svc.getKey() + "' does not exist",
            "endpoints[" + svc.getValue() + "].service");
      }
    }
    for (Map.Entry<Long, Integer> lease : leases.entrySet()) {
      requireLeaseOf(ns, lease.getKey(), t.getGetResponses().get(k++).getKvs(),
          "endpoints[" + lease.getValue() + "].endpoint.leaseId");
    }
    return Optional.empty();
  }

  private static void requireLeaseOf(String ns, long leaseId, List<KeyValue> records, String field) {
    if (records.isEmpty()) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "lease " + leaseId + " not found or expired", field);
    }
    LeaseRecord lease = Json.read(records.get(0).getValue().getBytes(), LeaseRecord.class);
    if (lease.namespace() != null && !lease.namespace().equals(ns)) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED,
          "lease " + leaseId + " belongs to namespace '" + lease.namespace() + "'", field);
    }
  }

  /** Each distinct non-null key, in order, to the index of the first entry with it (whom a refusal names). */
  private static <K> Map<K, Integer> firstIndexBy(List<Entry> entries, Function<Entry, K> key) {
    Map<K, Integer> first = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      K k = key.apply(entries.get(i));
      if (k != null) {
        first.putIfAbsent(k, i);
      }
    }
    return first;
  }
}
