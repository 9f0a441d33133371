package io.tether.registry.store;

import static io.tether.registry.store.TxnOps.present;
import static io.tether.registry.store.TxnOps.put;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Operators' drains of single endpoints (docs/operations.md, "Draining an endpoint"): one key per
 * drained endpoint, {@code drains/{ns}/{svc}/{id}}, beside the endpoint's own key. The agent writes only
 * the endpoint's key (its registration, its health), so nothing it does lifts a drain; the view shows a
 * drained endpoint as DRAINING. The drain key has no lease: it outlives the agent's lease, so an agent
 * that registers the same id again finds it still drained. An undrain, or a delete of the endpoint or
 * its service through the API, removes it.
 */
public final class DrainStore {
  private final KV kv;
  private final KeyLayout keys;
  private final EtcdCalls etcd;

  DrainStore(KV kv, KeyLayout keys, EtcdCalls etcd) {
    this.kv = kv;
    this.keys = keys;
    this.etcd = etcd;
  }

  /** Drains an existing endpoint; returns the revision of the write. NOT_FOUND when there is no such endpoint. */
  public CompletableFuture<Long> drain(String ns, String svc, String id) {
    byte[] record = Json.write(Map.of("drainedAt", Instant.now().toString()));
    return etcd.call("txn", () -> kv.txn().If(present(keys.endpoint(ns, svc, id)))
        .Then(put(keys.drain(ns, svc, id), record)).commit()).thenApply(t -> {
          if (!t.isSucceeded()) {
            throw notFound(ns, svc, id);
          }
          return t.getHeader().getRevision();
        });
  }

  /**
   * Lifts a drain; returns the revision of the write. The drain key goes whether or not the endpoint
   * is still there; NOT_FOUND when it is not.
   */
  public CompletableFuture<Long> undrain(String ns, String svc, String id) {
    Op delete = Op.delete(keys.drain(ns, svc, id), DeleteOption.DEFAULT);
    return etcd.call("txn", () -> kv.txn().If(present(keys.endpoint(ns, svc, id))).Then(delete).Else(delete).commit())
        .thenApply(t -> {
          if (!t.isSucceeded()) {
            throw notFound(ns, svc, id);
          }
          return t.getHeader().getRevision();
        });
  }

  private static RegistryException notFound(String ns, String svc, String id) {
    return new RegistryException(ErrorCode.NOT_FOUND, "endpoint '" + id + "' of '" + ns + "/" + svc + "' does not exist");
  }
}
