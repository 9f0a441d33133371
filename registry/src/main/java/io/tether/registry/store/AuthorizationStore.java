package io.tether.registry.store;

import static io.tether.registry.store.TxnOps.atRevision;
import static io.tether.registry.store.TxnOps.modRevision;
import static java.nio.charset.StandardCharsets.UTF_8;
import static io.tether.registry.store.TxnOps.requireExists;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.tether.model.Authorization;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import java.util.concurrent.CompletableFuture;

/**
 * Authorization rules, {@code authorizations/{ns}/{name}} (docs/security.md "Authorization"), written as
 * services are: compare-and-swap on the rule's key and its namespace's, the caller's If-Match checked,
 * and a create touches the namespace's guard, so that a namespace delete that raced it fails its compare
 * (a namespace with rules is not deleted, as one with services is not).
 */
public final class AuthorizationStore {
  private final KV kv;
  private final KeyLayout keys;
  private final CasWriter cas;

  AuthorizationStore(KV kv, KeyLayout keys, CasWriter cas) {
    this.kv = kv;
    this.keys = keys;
    this.cas = cas;
  }

  /** Creates or replaces a rule ({@code rule} validated, named as its key). */
  public CompletableFuture<Written> put(String ns, Authorization rule, Precondition pre) {
    ByteSequence nsKey = keys.namespace(ns);
    ByteSequence key = keys.authorization(ns, rule.name());
    return cas.retrying(() -> cas.read(Op.get(nsKey, GetOption.DEFAULT), Op.get(key, GetOption.DEFAULT))
        .thenCompose(r -> {
          long nsRevision = requireExists(r.get(0).getKvs(), "namespace '" + ns + "'");
          long current = modRevision(r.get(1).getKvs());
          pre.check(current);
          Op write = TxnOps.put(key, Json.write(rule));
          Op[] ops = current == 0 ? new Op[] {write, TxnOps.put(keys.guard(ns), rule.name().getBytes(UTF_8))} : new Op[] {write};
          return cas.commit(kv.txn().If(atRevision(nsKey, nsRevision), atRevision(key, current)).Then(ops),
              current == 0);
        }));
  }

  public CompletableFuture<Written> delete(String ns, String name, Precondition pre) {
    ByteSequence key = keys.authorization(ns, name);
    return cas.retrying(() -> cas.read(Op.get(key, GetOption.DEFAULT)).thenCompose(r -> {
      long current = requireExists(r.get(0).getKvs(), "authorization '" + ns + "/" + name + "'");
      pre.check(current);
      return cas.commit(kv.txn().If(atRevision(key, current)).Then(Op.delete(key, DeleteOption.DEFAULT)));
    }));
  }

  /** A namespace delete's rule: FAILED_PRECONDITION while the namespace still has {@code count} rules. */
  static void requireNone(String ns, long count) {
    if (count > 0) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION,
          "namespace '" + ns + "' still has " + count + " authorization(s); delete them first");
    }
  }
}
