package io.tether.registry.store;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import java.util.concurrent.CompletableFuture;

/**
 * The generated mesh CA's record at {@code ca/root} (docs/security.md "The CA"). It is created once: a
 * create-if-absent transaction, so replicas that start together on an empty etcd all end with the record
 * of whichever wrote first. Its content is opaque here (the CA's code seals the key before it comes).
 */
public final class CaStore {
  private final KV kv;
  private final KeyLayout keys;
  private final EtcdCalls etcd;

  CaStore(KV kv, KeyLayout keys, EtcdCalls etcd) {
    this.kv = kv;
    this.keys = keys;
    this.etcd = etcd;
  }

  /** Writes {@code candidate} if no record exists; answers the record stored after the call, ours or the first one. */
  public CompletableFuture<byte[]> createIfAbsent(byte[] candidate) {
    var key = keys.caRoot();
    return etcd.call("txn", () -> kv.txn().If(TxnOps.absent(key))
        .Then(TxnOps.put(key, candidate))
        .Else(Op.get(key, GetOption.DEFAULT)).commit())
        .thenApply(t -> t.isSucceeded() ? candidate : stored(t));
  }

  private static byte[] stored(TxnResponse t) {
    return t.getGetResponses().get(0).getKvs().get(0).getValue().getBytes();
  }
}
