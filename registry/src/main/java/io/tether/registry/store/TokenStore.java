package io.tether.registry.store;

import static io.tether.registry.store.TxnOps.PREFIX;
import static io.tether.registry.store.TxnOps.absent;
import static io.tether.registry.store.TxnOps.put;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import io.tether.registry.auth.ManagedToken;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The managed tokens' records at {@code tokens/{id}} (docs/security.md, "Tokens"): created once, read,
 * deleted to revoke. Each server's {@link TokenDirectory} follows them for authentication; the API's
 * reads come from here, so that they see the writes of every replica at once.
 */
public final class TokenStore {
  private final KV kv;
  private final KeyLayout keys;
  private final EtcdCalls etcd;

  TokenStore(KV kv, KeyLayout keys, EtcdCalls etcd) {
    this.kv = kv;
    this.keys = keys;
    this.etcd = etcd;
  }

  /** Records a new token; its id is random, so a clash is a fault, not a race. */
  public CompletableFuture<Written> create(ManagedToken token) {
    return etcd.call("txn", () -> kv.txn().If(absent(keys.token(token.id())))
        .Then(put(keys.token(token.id()), Json.write(token))).commit()).thenApply(t -> {
          if (!t.isSucceeded()) {
            throw new RegistryException(ErrorCode.ALREADY_EXISTS, "token '" + token.id() + "' already exists");
          }
          return new Written(t.getHeader().getRevision(), true);
        });
  }

  /** Every managed token, expired ones included, by creation time. */
  public CompletableFuture<List<ManagedToken>> list() {
    return etcd.call("get", () -> kv.get(keys.tokens(), PREFIX)).thenApply(r -> {
      List<ManagedToken> out = new ArrayList<>();
      for (KeyValue entry : r.getKvs()) {
        out.add(Json.read(entry.getValue().getBytes(), ManagedToken.class));
      }
      out.sort(Comparator.comparing(ManagedToken::createdAt).thenComparing(ManagedToken::id));
      return out;
    });
  }

  /** The token's record; NOT_FOUND when there is none (never minted, or revoked). */
  public CompletableFuture<ManagedToken> get(String id) {
    return etcd.call("get", () -> kv.get(keys.token(id), GetOption.DEFAULT)).thenApply(r -> {
      if (r.getKvs().isEmpty()) {
        throw notFound(id);
      }
      return Json.read(r.getKvs().get(0).getValue().getBytes(), ManagedToken.class);
    });
  }

  /** Revokes the token by deleting its record; NOT_FOUND when there is none. Returns the revision. */
  public CompletableFuture<Long> revoke(String id) {
    return etcd.call("delete", () -> kv.delete(keys.token(id), DeleteOption.DEFAULT)).thenApply(r -> {
      if (r.getDeleted() == 0) {
        throw notFound(id);
      }
      return r.getHeader().getRevision();
    });
  }

  private static RegistryException notFound(String id) {
    return new RegistryException(ErrorCode.NOT_FOUND, "token '" + id + "' does not exist (or was revoked)", "id");
  }
}
