package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.ErrorCode;
import io.tether.model.Health;
import io.tether.model.Namespace;
import io.tether.model.RegistryException;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.testing.TestEtcd;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, through its public API against a real etcd: what each write leaves in etcd,
 * the revision and created flag it returns, the caller's preconditions, and the invariants it refuses
 * to break (with the code and message the API passes on).
 */
class RegistryStoreTest {
  private static Client client;
  private static SimpleMeterRegistry meters;
  private KeyLayout keys;
  private RegistryStore store;

  @BeforeAll
  static void connect() {
    client = EtcdClients.connect(List.of(TestEtcd.shared().clientUrl()));
    meters = new SimpleMeterRegistry();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void freshPrefix() {
    keys = new KeyLayout(TestEtcd.uniquePrefix());
    store = new RegistryStore(client, keys, meters, Duration.ofSeconds(5));
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refused(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }

  /** Every key under the prefix (without it) and its value. */
  private Map<String, String> contents() {
    List<KeyValue> kvs = await(client.getKVClient().get(keys.root(), GetOption.builder().isPrefix(true).build())).getKvs();
    Map<String, String> out = new TreeMap<>();
    kvs.forEach(kv -> out.put(kv.getKey().toString(UTF_8).substring(keys.prefix().length()), kv.getValue().toString(UTF_8)));
    return out;
  }

  private Optional<KeyValue> get(ByteSequence key) {
    return await(client.getKVClient().get(key)).getKvs().stream().findFirst();
  }

  private static ServiceSpec service(String name, ClientAlias... aliases) {
    return new ServiceSpec(name, "http", AppProtocol.HTTP, List.of(aliases), null, ServicePolicy.EMPTY);
  }

  private static Endpoint endpoint(String address, Long leaseId) {
    return new Endpoint(address, 8080, null, null, "task", null, Map.of(), leaseId);
  }

  private long createNamespace(String ns) {
    return await(store.putNamespace(new Namespace(ns, null, null), Precondition.NONE)).revision();
  }

  // ---- namespaces ----

  @Test
  void aNamespaceIsCreatedThenUpdatedEachAtTheRevisionItReturns() {
    Written created = await(store.putNamespace(new Namespace("prod", "first", null), Precondition.NONE));
    assertThat(created.created()).isTrue();
    assertThat(get(keys.namespace("prod")).orElseThrow().getModRevision()).isEqualTo(created.revision());

    Written updated = await(store.putNamespace(new Namespace("prod", "second", null), Precondition.ifMatch(created.revision())));
    assertThat(updated.created()).isFalse();
    assertThat(updated.revision()).isGreaterThan(created.revision());
    KeyValue stored = get(keys.namespace("prod")).orElseThrow();
    assertThat(stored.getModRevision()).isEqualTo(updated.revision());
    assertThat(Json.read(stored.getValue().getBytes(), Namespace.class)).isEqualTo(new Namespace("prod", "second", null));
    assertThat(store.keys()).isSameAs(keys);
  }

  @Test
  void namespacePreconditionsAreCheckedAgainstTheCurrentRevision() {
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
    refused(() -> await(store.deleteNamespace("absent", Precondition.NONE)),
        ErrorCode.NOT_FOUND, "namespace 'absent' does not exist");
    long nsRev = createNamespace("prod");
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
    assertThat(contents()).isEmpty();
  }

  @Test
  void aNamespaceWithoutServicesEverIsDeletedToo() {
    createNamespace("empty");
    await(store.deleteNamespace("empty", Precondition.NONE));
    assertThat(contents()).isEmpty();
  }

  // ---- services ----

  @Test
  void aServiceNeedsItsNamespace() {
    refused(() -> await(store.putService("absent", service("a"), Precondition.NONE)),
        ErrorCode.NOT_FOUND, "namespace 'absent' does not exist");
  }

  @Test
  void creatingAServiceClaimsOneVipForAllItsAliasesAndTouchesTheNamespaceGuard() {
    createNamespace("prod");
    Written w = await(store.putService("prod",
        service("payments", new ClientAlias("payments", 8080), new ClientAlias("pay", 9090)), Precondition.NONE));
    assertThat(w.created()).isTrue();
    Map<String, String> etcd = contents();
    String vip = etcd.get("vips/prod/payments:8080");
    assertThat(vip).matches("127\\.255\\.\\d+\\.\\d+");
    assertThat(etcd).containsEntry("vips/prod/pay:9090", vip)
        .containsEntry("vipaddrs/prod/" + vip, "payments")
        .containsEntry("guards/prod", "payments")
        .containsKey("services/prod/payments")
        .hasSize(6);
    assertThat(get(keys.service("prod", "payments")).orElseThrow().getModRevision()).isEqualTo(w.revision());
    assertThat(Json.read(etcd.get("services/prod/payments").getBytes(UTF_8), ServiceSpec.class).clientAliases())
        .containsExactly(new ClientAlias("payments", 8080), new ClientAlias("pay", 9090));
  }

  @Test
  void updatingAServiceKeepsItsVipAndMovesOnlyTheAliasesThatChanged() {
    createNamespace("prod");
    long created = await(store.putService("prod", service("payments", new ClientAlias("payments", 8080)),
        Precondition.NONE)).revision();
    String vip = contents().get("vips/prod/payments:8080");
    long guard = get(keys.guard("prod")).orElseThrow().getModRevision();

    Written updated = await(store.putService("prod", service("payments", new ClientAlias("pay", 9090)),
        Precondition.ifMatch(created)));
    assertThat(updated.created()).isFalse();
    Map<String, String> etcd = contents();
    assertThat(etcd).doesNotContainKey("vips/prod/payments:8080")
        .containsEntry("vips/prod/pay:9090", vip)
        .containsEntry("vipaddrs/prod/" + vip, "payments");
    assertThat(get(keys.guard("prod")).orElseThrow().getModRevision()).as("only a create touches the guard").isEqualTo(guard);

    await(store.putService("prod", service("payments"), Precondition.NONE));
    assertThat(contents()).containsOnlyKeys("namespaces/prod", "services/prod/payments", "guards/prod");
  }

  @Test
  void anAliasOrDnsNameOfAnotherServiceIsRefusedAndNothingIsWritten() {
    createNamespace("prod");
    await(store.putService("prod", service("owner", new ClientAlias("taken", 8080)), Precondition.NONE));
    Map<String, String> before = contents();
    assertThatThrownBy(() -> await(store.putService("prod", service("other", new ClientAlias("taken", 8080)), Precondition.NONE)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
          assertThat(e.field()).isEqualTo("clientAliases[0]");
        })
        .hasMessage("client alias taken:8080 is already used by service 'owner'");
    assertThatThrownBy(() -> await(store.putService("prod", service("other", new ClientAlias("taken", 9090)), Precondition.NONE)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.field()).isEqualTo("clientAliases[0].dnsName"))
        .hasMessage("dnsName 'taken' already names service 'owner' (as taken:8080)");
    assertThat(contents()).isEqualTo(before);
  }

  @Test
  void servicePreconditionsAreCheckedAgainstTheServiceNotTheNamespace() {
    createNamespace("prod");
    refused(() -> await(store.putService("prod", service("a"), Precondition.ifMatch(1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match 1 but the resource does not exist");
    long rev = await(store.putService("prod", service("a"), Precondition.ifNoneMatchAny())).revision();
    refused(() -> await(store.putService("prod", service("a"), Precondition.ifNoneMatchAny())),
        ErrorCode.PRECONDITION_FAILED, "If-None-Match * but the resource exists at revision " + rev);
    refused(() -> await(store.deleteService("prod", "a", Precondition.ifMatch(rev + 7))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (rev + 7) + " but the resource is at revision " + rev);
  }

  @Test
  void deletingAServiceTakesItsEndpointsAliasesAndVipButNotAnotherServices() {
    createNamespace("prod");
    await(store.putService("prod", service("a", new ClientAlias("a", 80)), Precondition.NONE));
    await(store.putService("prod", service("b", new ClientAlias("b", 80)), Precondition.NONE));
    await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.NONE));
    await(store.putEndpoint("prod", "b", "t1", endpoint("10.0.0.2", null), Precondition.NONE));
    String vipB = contents().get("vips/prod/b:80");
    refused(() -> await(store.deleteService("prod", "absent", Precondition.NONE)),
        ErrorCode.NOT_FOUND, "service 'prod/absent' does not exist");

    Written w = await(store.deleteService("prod", "a", Precondition.NONE));
    assertThat(w.created()).isFalse();
    assertThat(contents()).containsOnlyKeys("namespaces/prod", "guards/prod", "services/prod/b", "vips/prod/b:80",
        "vipaddrs/prod/" + vipB, "endpoints/prod/b/t1");
  }

  // ---- endpoints ----

  @Test
  void anEndpointIsCreatedThenUpdatedAndItsServiceMustExist() {
    createNamespace("prod");
    refused(() -> await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.NONE)),
        ErrorCode.NOT_FOUND, "service 'prod/a' does not exist");
    await(store.putService("prod", service("a"), Precondition.NONE));

    Written created = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.ifNoneMatchAny()));
    assertThat(created.created()).isTrue();
    assertThat(get(keys.endpoint("prod", "a", "t1")).orElseThrow().getModRevision()).isEqualTo(created.revision());
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
    assertThat(Json.read(get(keys.endpoint("prod", "a", "t1")).orElseThrow().getValue().getBytes(), Endpoint.class).address())
        .isEqualTo("10.0.0.3");
    assertThat(contents()).doesNotContainKey("endpoints/prod/a/t2");
  }

  @Test
  void anEndpointUnderALeaseMustUseALeaseOfItsNamespaceAndDiesWithIt() {
    createNamespace("prod");
    createNamespace("dev");
    await(store.putService("prod", service("a"), Precondition.NONE));
    LeaseRecord lease = await(store.grantLease("prod", 30));
    LeaseRecord foreign = await(store.grantLease("dev", 30));
    assertThat(lease.namespace()).isEqualTo("prod");
    assertThat(lease.ttlSeconds()).isBetween(1L, 30L);
    assertThat(await(store.lease(lease.leaseId()))).isEqualTo(lease);

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
    assertThat(get(keys.endpoint("prod", "a", "t1")).orElseThrow().getLease()).isEqualTo(lease.leaseId());
    assertThat(await(store.keepAlive(lease.leaseId()))).isBetween(1L, 30L);

    long revoked = await(store.revokeLease(lease.leaseId()));
    assertThat(revoked).isGreaterThan(w.revision());
    assertThat(get(keys.endpoint("prod", "a", "t1"))).isEmpty();
    refused(() -> await(store.lease(lease.leaseId())), ErrorCode.NOT_FOUND, "lease " + lease.leaseId() + " not found or expired");
    assertThatThrownBy(() -> await(store.keepAlive(lease.leaseId())))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.field()).isEqualTo("leaseId");
        });
    await(store.revokeLease(foreign.leaseId()));
  }

  @Test
  void settingHealthKeepsTheEndpointAndItsLease() {
    createNamespace("prod");
    await(store.putService("prod", service("a"), Precondition.NONE));
    refused(() -> await(store.setEndpointHealth("prod", "a", "t1", Health.UNHEALTHY, Precondition.NONE)),
        ErrorCode.NOT_FOUND, "endpoint 't1' of 'prod/a' does not exist");
    LeaseRecord lease = await(store.grantLease("prod", 30));
    long rev = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", lease.leaseId()), Precondition.NONE)).revision();
    refused(() -> await(store.setEndpointHealth("prod", "a", "t1", Health.UNHEALTHY, Precondition.ifMatch(rev + 1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (rev + 1) + " but the resource is at revision " + rev);

    Versioned<Endpoint> v = await(store.setEndpointHealth("prod", "a", "t1", Health.UNHEALTHY, Precondition.ifMatch(rev)));
    assertThat(v.value()).isEqualTo(endpoint("10.0.0.1", lease.leaseId()).withHealth(Health.UNHEALTHY));
    KeyValue stored = get(keys.endpoint("prod", "a", "t1")).orElseThrow();
    assertThat(v.modRevision()).isEqualTo(stored.getModRevision()).isGreaterThan(rev);
    assertThat(stored.getLease()).isEqualTo(lease.leaseId());
    assertThat(Json.read(stored.getValue().getBytes(), Endpoint.class).health()).isEqualTo(Health.UNHEALTHY);
    await(store.revokeLease(lease.leaseId()));
  }

  @Test
  void deletingAnEndpointHonoursItsPrecondition() {
    createNamespace("prod");
    await(store.putService("prod", service("a"), Precondition.NONE));
    refused(() -> await(store.deleteEndpoint("prod", "a", "t1", Precondition.NONE)),
        ErrorCode.NOT_FOUND, "endpoint 't1' of 'prod/a' does not exist");
    long rev = await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.NONE)).revision();
    refused(() -> await(store.deleteEndpoint("prod", "a", "t1", Precondition.ifMatch(rev - 1))),
        ErrorCode.PRECONDITION_FAILED, "If-Match " + (rev - 1) + " but the resource is at revision " + rev);
    Written w = await(store.deleteEndpoint("prod", "a", "t1", Precondition.ifMatch(rev)));
    assertThat(w.revision()).isGreaterThan(rev);
    assertThat(get(keys.endpoint("prod", "a", "t1"))).isEmpty();
  }

  // ---- etcd calls ----

  @Test
  void everyCallIsTimedByOperationAndOutcome() {
    createNamespace("prod");
    assertThatThrownBy(() -> await(store.lease(424242))).isInstanceOf(RegistryException.class);
    assertThat(meters.get("tether.etcd.requests").tag("op", "txn").tag("outcome", "ok").timer().count()).isPositive();
    assertThat(meters.get("tether.etcd.requests").tag("op", "get").tag("outcome", "ok").timer().count())
        .as("an absent lease is an answer from etcd, not an etcd error").isPositive();
  }

  @Test
  void anUnreachableEtcdIsUnavailableWithinTheDeadline() {
    try (Client dead = EtcdClients.connect(List.of("http://127.0.0.1:" + io.tether.registry.testing.Ports.free()))) {
      SimpleMeterRegistry deadMeters = new SimpleMeterRegistry();
      RegistryStore unreachable = new RegistryStore(dead, keys, deadMeters, Duration.ofMillis(500));
      assertThatThrownBy(() -> await(unreachable.putNamespace(new Namespace("prod", null, null), Precondition.NONE)))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
          .hasMessageStartingWith("etcd ");
      assertThat(deadMeters.get("tether.etcd.requests").tag("op", "read").tag("outcome", "error").timer().count()).isOne();
    }
  }

  @Test
  void failuresAreTranslatedForTheApi() {
    RegistryException own = new RegistryException(ErrorCode.NOT_FOUND, "mine");
    assertThat(EtcdCalls.translate(new java.util.concurrent.CompletionException(own))).isSameAs(own);
    assertThat(EtcdCalls.translate(own)).isSameAs(own);
    RuntimeException timeout = EtcdCalls.translate(new java.util.concurrent.CompletionException(new java.util.concurrent.TimeoutException()));
    assertThat(timeout).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessage("etcd did not answer in time");
    assertThat(EtcdCalls.translate(new IllegalStateException("etcdserver: requested lease not found")))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.field()).isEqualTo("leaseId");
        })
        .hasMessage("lease not found or expired");
    assertThat(EtcdCalls.translate(new java.io.IOException("connection refused")))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessage("etcd unavailable: connection refused");
    assertThat(EtcdCalls.translate(new java.util.concurrent.CompletionException(null)))
        .hasMessageStartingWith("etcd unavailable: java.util.concurrent.CompletionException");
    assertThat(EtcdCalls.translate(new IllegalStateException())).hasMessage("etcd unavailable: java.lang.IllegalStateException");
  }

  // ---- keys and preconditions ----

  @Test
  void keysParseBackToWhatTheyName() {
    KeyLayout k = new KeyLayout("/t");
    assertThat(k.prefix()).isEqualTo("/t/");
    assertThat(new KeyLayout("/t/").prefix()).isEqualTo("/t/");
    assertThat(k.parse(k.namespace("prod"))).isEqualTo(new RegistryKey.NamespaceKey("prod"));
    assertThat(k.parse(k.service("prod", "a"))).isEqualTo(new RegistryKey.ServiceKey("prod", "a"));
    assertThat(k.parse(k.endpoint("prod", "a", "t1"))).isEqualTo(new RegistryKey.EndpointKey("prod", "a", "t1"));
    assertThat(k.parse(k.vip("prod", "a:80"))).isEqualTo(new RegistryKey.VipKey("prod", "a:80"));
    for (ByteSequence other : List.of(k.guard("prod"), k.vipAddress("prod", "127.255.0.1"), k.lease(255, "prod"),
        KeyLayout.bytes("/elsewhere/namespaces/prod"), KeyLayout.bytes("/t/services/prod"),
        KeyLayout.bytes("/t/endpoints/prod/a"), KeyLayout.bytes("/t/vips/prod"), KeyLayout.bytes("/t/namespaces/a/b"))) {
      assertThat(k.parse(other)).as(other.toString(UTF_8)).isEqualTo(RegistryKey.Other.INSTANCE);
    }
    assertThat(k.lease(255, "prod").toString(UTF_8)).isEqualTo("/t/leases/ff/prod");
    assertThat(k.leaseRecords(255).toString(UTF_8)).isEqualTo("/t/leases/ff/");
    assertThat(k.root().toString(UTF_8)).isEqualTo("/t/");
  }

  @Test
  void onlyIfMatchPinsARevision() {
    assertThat(Precondition.ifMatch(3).pinsRevision()).isTrue();
    assertThat(Precondition.NONE.pinsRevision()).isFalse();
    assertThat(Precondition.ifNoneMatchAny().pinsRevision()).isFalse();
    assertThat(Precondition.NONE.compare(keys.root())).isEmpty();
    Precondition.NONE.check(0);
    Precondition.NONE.check(9);
    Precondition.ifMatch(9).check(9);
    Precondition.ifNoneMatchAny().check(0);
    new Precondition(null, true, false).check(9);
  }
}
