package io.tether.registry.store;

import static io.tether.registry.store.StoreOnEtcd.await;
import static io.tether.registry.store.StoreOnEtcd.endpoint;
import static io.tether.registry.store.StoreOnEtcd.refused;
import static io.tether.registry.store.StoreOnEtcd.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.KeyValue;
import io.tether.model.Endpoint;
import io.tether.model.ErrorCode;
import io.tether.model.Health;
import io.tether.model.RegistryException;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's endpoints against a real etcd: writes under the caller's preconditions, the lease an
 * endpoint lives under (its namespace's own, gone with it), setting health, deleting.
 */
class RegistryStoreEndpointTest {
  @RegisterExtension
  static final StoreOnEtcd etcd = new StoreOnEtcd();

  @Test
  void anEndpointIsCreatedThenUpdatedAndItsServiceMustExist() {
    RegistryStore store = etcd.store();
    KeyLayout keys = etcd.keys();
    etcd.createNamespace("prod");
    refused(() -> await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.NONE)),
        ErrorCode.NOT_FOUND, "service 'prod/a' does not exist");
    await(store.putService("prod", service("a"), Precondition.NONE));

    Written created = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.ifNoneMatchAny()));
    assertThat(created.created()).isTrue();
    assertThat(etcd.get(keys.endpoint("prod", "a", "t1")).orElseThrow().getModRevision()).isEqualTo(created.revision());
    refused(() -> await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.9", null), Precondition.ifNoneMatchAny())),
        ErrorCode.PRECONDITION_FAILED, "If-None-Match * but the resource exists at revision " + created.revision());
    refused(() -> await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.9", null), Precondition.ifMatch(created.revision() - 1))),
        ErrorCode.PRECONDITION_FAILED,
        "If-Match " + (created.revision() - 1) + " but the resource is at revision " + created.revision());
    refused(() -> await(store.putEndpoint("prod", "a", "t2", endpoint("10.0.0.9", null), new Precondition(null, true, false))),
        ErrorCode.PRECONDITION_FAILED, "If-Match * but the resource does not exist");

    Written updated = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.2", null), Precondition.ifMatch(created.revision())));
    assertThat(updated.created()).isFalse();
    assertThat(updated.revision()).isGreaterThan(created.revision());
    assertThat(await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.3", null), new Precondition(null, true, false))).created())
        .isFalse();
    assertThat(Json.read(etcd.get(keys.endpoint("prod", "a", "t1")).orElseThrow().getValue().getBytes(), Endpoint.class).address())
        .isEqualTo("10.0.0.3");
    assertThat(etcd.contents()).doesNotContainKey("endpoints/prod/a/t2");
  }

  @Test
  void anEndpointUnderALeaseMustUseALeaseOfItsNamespaceAndDiesWithIt() {
    RegistryStore store = etcd.store();
    KeyLayout keys = etcd.keys();
    etcd.createNamespace("prod");
    etcd.createNamespace("dev");
    await(store.putService("prod", service("a"), Precondition.NONE));
    LeaseRecord lease = await(store.leases().grantLease("prod", 30));
    LeaseRecord foreign = await(store.leases().grantLease("dev", 30));
    assertThat(lease.namespace()).isEqualTo("prod");
    assertThat(lease.ttlSeconds()).isBetween(1L, 30L);
    assertThat(await(store.leases().lease(lease.leaseId()))).isEqualTo(lease);

    assertThatThrownBy(() -> await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", foreign.leaseId()), Precondition.NONE)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
          assertThat(e.field()).isEqualTo("leaseId");
        })
        .hasMessage("lease " + foreign.leaseId() + " belongs to namespace 'dev'");
    assertThatThrownBy(() -> await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", 12345L), Precondition.NONE)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.field()).isEqualTo("leaseId"))
        .hasMessage("lease 12345 not found or expired");

    Written w = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", lease.leaseId()), Precondition.NONE));
    assertThat(w.created()).isTrue();
    assertThat(etcd.get(keys.endpoint("prod", "a", "t1")).orElseThrow().getLease()).isEqualTo(lease.leaseId());
    assertThat(await(store.leases().keepAlive(lease.leaseId()))).isBetween(1L, 30L);

    long revoked = await(store.leases().revokeLease(lease.leaseId()));
    assertThat(revoked).isGreaterThan(w.revision());
    assertThat(etcd.get(keys.endpoint("prod", "a", "t1"))).isEmpty();
    refused(() -> await(store.leases().lease(lease.leaseId())), ErrorCode.NOT_FOUND, "lease " + lease.leaseId() + " not found or expired");
    assertThatThrownBy(() -> await(store.leases().keepAlive(lease.leaseId())))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.field()).isEqualTo("leaseId");
        });
    await(store.leases().revokeLease(foreign.leaseId()));
  }

  @Test
  void settingHealthKeepsTheEndpointAndItsLease() {
    RegistryStore store = etcd.store();
    etcd.createNamespace("prod");
    await(store.putService("prod", service("a"), Precondition.NONE));
    refused(() -> await(store.setEndpointHealth("prod", "a", "t1", Health.UNHEALTHY, Precondition.NONE)),
        ErrorCode.NOT_FOUND, "endpoint 't1' of 'prod/a' does not exist");
    LeaseRecord lease = await(store.leases().grantLease("prod", 30));
    long rev = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", lease.leaseId()), Precondition.NONE)).revision();
    refused(() -> await(store.setEndpointHealth("prod", "a", "t1", Health.UNHEALTHY, Precondition.ifMatch(rev + 1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (rev + 1) + " but the resource is at revision " + rev);

    Versioned<Endpoint> v = await(store.setEndpointHealth("prod", "a", "t1", Health.UNHEALTHY, Precondition.ifMatch(rev)));
    assertThat(v.value()).isEqualTo(endpoint("10.0.0.1", lease.leaseId()).withHealth(Health.UNHEALTHY));
    KeyValue stored = etcd.get(etcd.keys().endpoint("prod", "a", "t1")).orElseThrow();
    assertThat(v.modRevision()).isEqualTo(stored.getModRevision()).isGreaterThan(rev);
    assertThat(stored.getLease()).isEqualTo(lease.leaseId());
    assertThat(Json.read(stored.getValue().getBytes(), Endpoint.class).health()).isEqualTo(Health.UNHEALTHY);
    await(store.leases().revokeLease(lease.leaseId()));
  }

  @Test
  void deletingAnEndpointHonoursItsPrecondition() {
    RegistryStore store = etcd.store();
    etcd.createNamespace("prod");
    await(store.putService("prod", service("a"), Precondition.NONE));
    refused(() -> await(store.deleteEndpoint("prod", "a", "t1", Precondition.NONE)),
        ErrorCode.NOT_FOUND, "endpoint 't1' of 'prod/a' does not exist");
    long rev = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.NONE)).revision();
    refused(() -> await(store.deleteEndpoint("prod", "a", "t1", Precondition.ifMatch(rev - 1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (rev - 1) + " but the resource is at revision " + rev);
    Written w = await(store.deleteEndpoint("prod", "a", "t1", Precondition.ifMatch(rev)));
    assertThat(w.revision()).isGreaterThan(rev);
    assertThat(etcd.get(etcd.keys().endpoint("prod", "a", "t1"))).isEmpty();
  }
}
