package io.tether.registry.store;

import static io.tether.registry.store.StoreOnEtcd.await;
import static io.tether.registry.store.StoreOnEtcd.refused;
import static io.tether.registry.store.StoreOnEtcd.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.KeyValue;
import io.tether.model.ClientAlias;
import io.tether.model.ErrorCode;
import io.tether.model.Namespace;
import io.tether.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's namespaces against a real etcd: the revision and created flag a write returns, the caller's
 * preconditions, and deleting only an empty namespace, its bookkeeping with it.
 */
class RegistryStoreNamespaceTest {
  @RegisterExtension
  static final StoreOnEtcd etcd = new StoreOnEtcd();

  @Test
  void aNamespaceIsCreatedThenUpdatedEachAtTheRevisionItReturns() {
    RegistryStore store = etcd.store();
    KeyLayout keys = etcd.keys();
    Written created = await(store.putNamespace(new Namespace("prod", "first", null), Precondition.NONE));
    assertThat(created.created()).isTrue();
    assertThat(etcd.get(keys.namespace("prod")).orElseThrow().getModRevision()).isEqualTo(created.revision());

    Written updated = await(store.putNamespace(new Namespace("prod", "second", null), Precondition.ifMatch(created.revision())));
    assertThat(updated.created()).isFalse();
    assertThat(updated.revision()).isGreaterThan(created.revision());
    KeyValue stored = etcd.get(keys.namespace("prod")).orElseThrow();
    assertThat(stored.getModRevision()).isEqualTo(updated.revision());
    assertThat(Json.read(stored.getValue().getBytes(), Namespace.class)).isEqualTo(new Namespace("prod", "second", null));
    assertThat(store.keys()).isSameAs(keys);
  }

  @Test
  void namespacePreconditionsAreCheckedAgainstTheCurrentRevision() {
    RegistryStore store = etcd.store();
    refused(() -> await(store.putNamespace(new Namespace("prod", null, null), Precondition.ifMatch(5))),
        ErrorCode.PRECONDITION_FAILED, "If-Match 5 but the resource does not exist");
    refused(() -> await(store.putNamespace(new Namespace("prod", null, null), new Precondition(null, true, false))),
        ErrorCode.PRECONDITION_FAILED, "If-Match * but the resource does not exist");
    long rev = await(store.putNamespace(new Namespace("prod", null, null), Precondition.ifNoneMatchAny())).revision();
    refused(() -> await(store.putNamespace(new Namespace("prod", "x", null), Precondition.ifNoneMatchAny())),
        ErrorCode.PRECONDITION_FAILED, "If-None-Match * but the resource exists at revision " + rev);
    refused(() -> await(store.putNamespace(new Namespace("prod", "x", null), Precondition.ifMatch(rev - 1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (rev - 1) + " but the resource is at revision " + rev);
    assertThat(await(store.putNamespace(new Namespace("prod", "x", null), new Precondition(null, true, false))).created())
        .isFalse();
  }

  @Test
  void aNamespaceIsDeletedOnlyWhenEmptyAndTakesItsBookkeepingWithIt() {
    RegistryStore store = etcd.store();
    refused(() -> await(store.deleteNamespace("absent", Precondition.NONE)),
        ErrorCode.NOT_FOUND, "namespace 'absent' does not exist");
    long nsRev = etcd.createNamespace("prod");
    await(store.putService("prod", service("a", new ClientAlias("a", 80)), Precondition.NONE));
    await(store.putService("prod", service("b"), Precondition.NONE));
    refused(() -> await(store.deleteNamespace("prod", Precondition.NONE)),
        ErrorCode.FAILED_PRECONDITION, "namespace 'prod' still has 2 service(s); delete them first");
    await(store.deleteService("prod", "a", Precondition.NONE));
    await(store.deleteService("prod", "b", Precondition.NONE));
    refused(() -> await(store.deleteNamespace("prod", Precondition.ifMatch(nsRev + 1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (nsRev + 1) + " but the resource is at revision " + nsRev);

    Written deleted = await(store.deleteNamespace("prod", Precondition.ifMatch(nsRev)));
    assertThat(deleted.created()).isFalse();
    assertThat(deleted.revision()).isGreaterThan(nsRev);
    assertThat(etcd.contents()).isEmpty();
  }

  @Test
  void aNamespaceWithoutServicesEverIsDeletedToo() {
    etcd.createNamespace("empty");
    await(etcd.store().deleteNamespace("empty", Precondition.NONE));
    assertThat(etcd.contents()).isEmpty();
  }
}
