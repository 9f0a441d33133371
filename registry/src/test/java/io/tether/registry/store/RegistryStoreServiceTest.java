package io.tether.registry.store;

import static io.tether.registry.store.StoreOnEtcd.await;
import static io.tether.registry.store.StoreOnEtcd.endpoint;
import static io.tether.registry.store.StoreOnEtcd.refused;
import static io.tether.registry.store.StoreOnEtcd.service;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.ClientAlias;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.model.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's services against a real etcd: what a create, an update and a delete leave in etcd (the
 * service, its aliases' VIP, the namespace guard), the caller's preconditions, and the aliases it refuses
 * because another service holds them.
 */
class RegistryStoreServiceTest {
  @RegisterExtension
  static final StoreOnEtcd etcd = new StoreOnEtcd();

  @Test
  void aServiceNeedsItsNamespace() {
    refused(() -> await(etcd.store().putService("absent", service("a"), Precondition.NONE)),
        ErrorCode.NOT_FOUND, "namespace 'absent' does not exist");
  }

  @Test
  void creatingAServiceClaimsOneVipForAllItsAliasesAndTouchesTheNamespaceGuard() {
    etcd.createNamespace("prod");
    Written w = await(etcd.store().putService("prod",
        service("payments", new ClientAlias("payments", 8080), new ClientAlias("pay", 9090)), Precondition.NONE));
    assertThat(w.created()).isTrue();
    Map<String, String> contents = etcd.contents();
    String vip = contents.get("vips/prod/payments:8080");
    assertThat(vip).matches("127\\.255\\.\\d+\\.\\d+");
    assertThat(contents).containsEntry("vips/prod/pay:9090", vip)
        .containsEntry("vipaddrs/prod/" + vip, "payments")
        .containsEntry("guards/prod", "payments")
        .containsKey("services/prod/payments")
        .hasSize(6);
    assertThat(etcd.get(etcd.keys().service("prod", "payments")).orElseThrow().getModRevision()).isEqualTo(w.revision());
    assertThat(Json.read(contents.get("services/prod/payments").getBytes(UTF_8), ServiceSpec.class).clientAliases())
        .containsExactly(new ClientAlias("payments", 8080), new ClientAlias("pay", 9090));
  }

  @Test
  void updatingAServiceKeepsItsVipAndMovesOnlyTheAliasesThatChanged() {
    RegistryStore store = etcd.store();
    KeyLayout keys = etcd.keys();
    etcd.createNamespace("prod");
    long created = await(store.putService("prod", service("payments", new ClientAlias("payments", 8080)),
        Precondition.NONE)).revision();
    String vip = etcd.contents().get("vips/prod/payments:8080");
    long guard = etcd.get(keys.guard("prod")).orElseThrow().getModRevision();

    Written updated = await(store.putService("prod", service("payments", new ClientAlias("pay", 9090)),
        Precondition.ifMatch(created)));
    assertThat(updated.created()).isFalse();
    assertThat(etcd.contents()).doesNotContainKey("vips/prod/payments:8080")
        .containsEntry("vips/prod/pay:9090", vip)
        .containsEntry("vipaddrs/prod/" + vip, "payments");
    assertThat(etcd.get(keys.guard("prod")).orElseThrow().getModRevision()).as("only a create touches the guard")
        .isEqualTo(guard);

    await(store.putService("prod", service("payments"), Precondition.NONE));
    assertThat(etcd.contents()).containsOnlyKeys("namespaces/prod", "services/prod/payments", "guards/prod");
  }

  @Test
  void anAliasOrDnsNameOfAnotherServiceIsRefusedAndNothingIsWritten() {
    RegistryStore store = etcd.store();
    etcd.createNamespace("prod");
    await(store.putService("prod", service("owner", new ClientAlias("taken", 8080)), Precondition.NONE));
    Map<String, String> before = etcd.contents();
    assertThatThrownBy(() -> await(store.putService("prod", service("other", new ClientAlias("taken", 8080)), Precondition.NONE)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
          assertThat(e.field()).isEqualTo("clientAliases[0]");
        })
        .hasMessage("client alias taken:8080 is already used by service 'owner'");
    assertThatThrownBy(() -> await(store.putService("prod", service("other", new ClientAlias("taken", 9090)), Precondition.NONE)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.field()).isEqualTo("clientAliases[0].dnsName"))
        .hasMessage("dnsName 'taken' already names service 'owner' (as taken:8080)");
    assertThat(etcd.contents()).isEqualTo(before);
  }

  @Test
  void servicePreconditionsAreCheckedAgainstTheServiceNotTheNamespace() {
    RegistryStore store = etcd.store();
    etcd.createNamespace("prod");
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
    RegistryStore store = etcd.store();
    etcd.createNamespace("prod");
    await(store.putService("prod", service("a", new ClientAlias("a", 80)), Precondition.NONE));
    await(store.putService("prod", service("b", new ClientAlias("b", 80)), Precondition.NONE));
    await(store.putEndpoint("prod", "a", "t1", endpoint("10.0.0.1", null), Precondition.NONE));
    await(store.putEndpoint("prod", "b", "t1", endpoint("10.0.0.2", null), Precondition.NONE));
    String vipB = etcd.contents().get("vips/prod/b:80");
    refused(() -> await(store.deleteService("prod", "absent", Precondition.NONE)),
        ErrorCode.NOT_FOUND, "service 'prod/absent' does not exist");

    Written w = await(store.deleteService("prod", "a", Precondition.NONE));
    assertThat(w.created()).isFalse();
    assertThat(etcd.contents()).containsOnlyKeys("namespaces/prod", "guards/prod", "services/prod/b", "vips/prod/b:80",
        "vipaddrs/prod/" + vipB, "endpoints/prod/b/t1");
  }
}
