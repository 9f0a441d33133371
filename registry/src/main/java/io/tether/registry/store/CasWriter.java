package io.tether.registry.store;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How {@link RegistryStore} writes: read what a write depends on at one revision ({@link #read}), commit a
 * compare-and-swap transaction on exactly those keys ({@link #commit}), and retry an attempt that lost the
 * race from its read ({@link #retrying}), so that invariants are re-checked, up to {@value #MAX_ATTEMPTS}
 * times. Every call goes through {@link EtcdCalls} (timeout, metrics, errors).
 */
final class CasWriter {
  static final int MAX_ATTEMPTS = 32;

  private final KV kv;
  private final EtcdCalls etcd;

  CasWriter(KV kv, EtcdCalls etcd) {
    this.kv = kv;
    this.etcd = etcd;
  }

  /** Runs {@code attempt} until it yields a result (empty: the state moved under it, try again). */
  <T> CompletableFuture<T> retrying(Supplier<CompletableFuture<Optional<T>>> attempt) {
    return attempt(attempt, 1);
  }

  private <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<Optional<T>>> attempt, int n) {
    return attempt.get().thenCompose(result -> {
      if (result.isPresent()) {
        return CompletableFuture.completedFuture(result.get());
      }
      if (n >= MAX_ATTEMPTS) {
        throw new RegistryException(ErrorCode.ABORTED, "too many concurrent writers; try again");
      }
      return attempt(attempt, n + 1);
    });
  }

  /** The gets, read at one revision (one transaction). */
  CompletableFuture<List<GetResponse>> read(Op... gets) {
    return etcd.call("read", () -> kv.txn().Then(gets).commit()).thenApply(TxnResponse::getGetResponses);
  }

  CompletableFuture<Optional<Written>> commit(Txn txn) {
    return commit(txn, false);
  }

  /** Commits; empty when a compare failed. {@code creates}: what the write reports as created. */
  CompletableFuture<Optional<Written>> commit(Txn txn, boolean creates) {
    return etcd.call("txn", txn::commit).thenApply(t ->
        t.isSucceeded() ? Optional.of(new Written(t.getHeader().getRevision(), creates)) : Optional.empty());
  }
}
