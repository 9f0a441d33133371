package io.tether.registry.view;

import io.tether.model.Versioned;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tether.model.json.Json;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.store.RegistryKey;
import io.tether.registry.view.RegistryChange.EndpointsChanged;
import io.tether.registry.view.RegistryChange.NamespaceChanged;
import io.tether.registry.view.RegistryChange.ServiceChanged;
import io.tether.registry.view.RegistryChange.VipsChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view's pure state logic: applying key changes (StateMutation) and diffing whole states (StateDiff). */
class StateMutationTest {

  @Test
  void putsOfEachKindProduceTheirValuesAndExactlyTheMatchingChanges() {
    StateMutation m = new StateMutation(RegistryState.EMPTY);
    m.apply(new RegistryKey.NamespaceKey("shop"), Json.write(namespace("shop")), 2);
    m.apply(new RegistryKey.ServiceKey("shop", "cart"), Json.write(service("cart")), 3);
    m.apply(new RegistryKey.VipKey("shop", "cart:80"), "127.255.0.7".getBytes(UTF_8), 3);
    m.apply(new RegistryKey.EndpointKey("shop", "cart", "e1"), Json.write(endpoint("10.0.0.1")), 4);

    assertThat(m.changes()).containsExactlyInAnyOrder(new NamespaceChanged("shop"), new ServiceChanged("shop", "cart"),
        new VipsChanged("shop"), new EndpointsChanged("shop", "cart"));
    RegistryState s = m.result(4);
    assertThat(s.revision()).isEqualTo(4);
    assertThat(s.namespace("shop")).contains(new Versioned<>(namespace("shop"), 2));
    assertThat(s.service("shop", "cart")).contains(new Versioned<>(service("cart"), 3));
    assertThat(s.vips("shop")).containsExactly(java.util.Map.entry("cart:80", "127.255.0.7"));
    assertThat(s.endpoints("shop", "cart")).containsExactly(
        java.util.Map.entry("e1", new Versioned<>(endpoint("10.0.0.1"), 4)));
    assertThat(StateDiff.between(RegistryState.EMPTY, s)).isEqualTo(m.changes());
  }

  @Test
  void endpointChangeRecordsOnlyThatServiceAndSharesEverythingItDidNotTouch() {
    RegistryState before = base();
    StateMutation m = new StateMutation(before);
    m.apply(new RegistryKey.EndpointKey("shop", "cart", "e2"), Json.write(endpoint("10.0.0.2")), 20);
    RegistryState after = m.result(20);

    assertThat(m.changes()).containsExactly(new EndpointsChanged("shop", "cart"));
    assertThat(StateDiff.between(before, after)).containsExactly(new EndpointsChanged("shop", "cart"));
    assertThat(before.endpoints("shop", "cart")).as("the old state is untouched").containsOnlyKeys("e1");
    assertThat(after.endpoints("shop", "cart")).containsOnlyKeys("e1", "e2");

    assertThat(after.namespaces().get("other")).isSameAs(before.namespaces().get("other"));
    assertThat(after.services("shop").get("orders")).isSameAs(before.services("shop").get("orders"));
    assertThat(after.namespaces().get("shop").vips()).isSameAs(before.namespaces().get("shop").vips());
    assertThat(after.namespaces().get("shop").namespace()).isSameAs(before.namespaces().get("shop").namespace());
    assertThat(after.services("shop").get("cart").spec()).isSameAs(before.services("shop").get("cart").spec());
    assertThat(after.endpoints("shop", "cart").get("e1")).isSameAs(before.endpoints("shop", "cart").get("e1"));
  }

  @Test
  void deletesRecordTheirChangesAndDropEntriesThatBecomeEmpty() {
    RegistryState s = base();

    StateMutation dropSpec = new StateMutation(s);
    dropSpec.apply(new RegistryKey.ServiceKey("shop", "cart"), null, 21);
    RegistryState specless = dropSpec.result(21);
    assertThat(dropSpec.changes()).containsExactly(new ServiceChanged("shop", "cart"));
    assertThat(specless.service("shop", "cart")).isEmpty();
    assertThat(specless.endpoints("shop", "cart")).as("endpoints outlive the spec until deleted").containsOnlyKeys("e1");

    StateMutation dropEndpoint = new StateMutation(specless);
    dropEndpoint.apply(new RegistryKey.EndpointKey("shop", "cart", "e1"), null, 22);
    RegistryState noCart = dropEndpoint.result(22);
    assertThat(dropEndpoint.changes()).containsExactly(new EndpointsChanged("shop", "cart"));
    assertThat(noCart.services("shop")).as("an empty service entry is removed").containsOnlyKeys("orders");

    StateMutation dropOther = new StateMutation(noCart);
    dropOther.apply(new RegistryKey.ServiceKey("other", "keep"), null, 23);
    dropOther.apply(new RegistryKey.VipKey("other", "keep:80"), null, 23);
    dropOther.apply(new RegistryKey.NamespaceKey("other"), null, 23);
    RegistryState noOther = dropOther.result(23);
    assertThat(dropOther.changes()).containsExactlyInAnyOrder(
        new ServiceChanged("other", "keep"), new VipsChanged("other"), new NamespaceChanged("other"));
    assertThat(noOther.namespaces()).as("an empty namespace entry is removed").containsOnlyKeys("shop");
    assertThat(noOther.namespaces().get("shop")).isSameAs(noCart.namespaces().get("shop"));
    assertThat(StateDiff.between(noCart, noOther)).isEqualTo(dropOther.changes());
  }

  @Test
  void undecodableValuesAndBookkeepingKeysChangeNothing() {
    RegistryState before = base();
    StateMutation m = new StateMutation(before);
    m.apply(new RegistryKey.ServiceKey("shop", "cart"), "{not json".getBytes(UTF_8), 30);
    m.apply(new RegistryKey.EndpointKey("shop", "cart", "e1"), "{\"address\":\"x\",\"bogus\":1}".getBytes(UTF_8), 30);
    m.apply(RegistryKey.Other.INSTANCE, "anything".getBytes(UTF_8), 30);
    RegistryState after = m.result(30);
    assertThat(m.changes()).isEmpty();
    assertThat(after.namespaces()).isSameAs(before.namespaces());
    assertThat(StateDiff.between(before, after)).isEmpty();
  }

  @Test
  void diffOfIndependentlyBuiltStatesFindsExactlyWhatDiffers() {
    RegistryState a = base();
    RegistryState same = base();
    assertThat(a.namespaces()).isNotSameAs(same.namespaces());
    assertThat(StateDiff.between(a, same)).as("equal content, different objects").isEmpty();
    assertThat(StateDiff.between(a, a)).isEmpty();

    // Built from scratch with: cart's spec changed, orders' endpoint health changed, a VIP added in
    // "other", namespace "extra" added, namespace "shop" description changed.
    StateMutation m = new StateMutation(RegistryState.EMPTY);
    m.apply(new RegistryKey.NamespaceKey("shop"), Json.write(new Namespace("shop", "changed", null)), 1);
    m.apply(new RegistryKey.ServiceKey("shop", "cart"), Json.write(service("cart", "cart", "basket")), 24);
    m.apply(new RegistryKey.VipKey("shop", "cart:80"), "127.255.0.1".getBytes(UTF_8), 3);
    m.apply(new RegistryKey.EndpointKey("shop", "cart", "e1"), Json.write(endpoint("10.0.0.1")), 7);
    m.apply(new RegistryKey.ServiceKey("shop", "orders"), Json.write(service("orders")), 4);
    m.apply(new RegistryKey.EndpointKey("shop", "orders", "o1"),
        Json.write(endpoint("10.0.1.1").withHealth(Health.DRAINING)), 25);
    m.apply(new RegistryKey.NamespaceKey("other"), Json.write(namespace("other")), 5);
    m.apply(new RegistryKey.ServiceKey("other", "keep"), Json.write(service("keep", "keep")), 6);
    m.apply(new RegistryKey.VipKey("other", "keep:80"), "127.255.0.2".getBytes(UTF_8), 6);
    m.apply(new RegistryKey.VipKey("other", "keep2:80"), "127.255.0.3".getBytes(UTF_8), 26);
    m.apply(new RegistryKey.NamespaceKey("extra"), Json.write(namespace("extra")), 27);
    RegistryState b = m.result(27);

    assertThat(StateDiff.between(a, b)).containsExactlyInAnyOrder(
        new NamespaceChanged("shop"),
        new ServiceChanged("shop", "cart"),
        new EndpointsChanged("shop", "orders"),
        new VipsChanged("other"),
        new NamespaceChanged("extra"));
    assertThat(StateDiff.between(b, a)).isEqualTo(StateDiff.between(a, b));
  }

  /** shop: cart (alias cart:80, endpoint e1), orders (endpoint o1); other: keep (alias keep:80). */
  private static RegistryState base() {
    StateMutation m = new StateMutation(RegistryState.EMPTY);
    m.apply(new RegistryKey.NamespaceKey("shop"), Json.write(namespace("shop")), 1);
    m.apply(new RegistryKey.ServiceKey("shop", "cart"), Json.write(service("cart", "cart")), 3);
    m.apply(new RegistryKey.VipKey("shop", "cart:80"), "127.255.0.1".getBytes(UTF_8), 3);
    m.apply(new RegistryKey.ServiceKey("shop", "orders"), Json.write(service("orders")), 4);
    m.apply(new RegistryKey.NamespaceKey("other"), Json.write(namespace("other")), 5);
    m.apply(new RegistryKey.ServiceKey("other", "keep"), Json.write(service("keep", "keep")), 6);
    m.apply(new RegistryKey.VipKey("other", "keep:80"), "127.255.0.2".getBytes(UTF_8), 6);
    m.apply(new RegistryKey.EndpointKey("shop", "cart", "e1"), Json.write(endpoint("10.0.0.1")), 7);
    m.apply(new RegistryKey.EndpointKey("shop", "orders", "o1"), Json.write(endpoint("10.0.1.1")), 8);
    return m.result(8);
  }

  private static Namespace namespace(String name) {
    return new Namespace(name, null, null);
  }

  private static ServiceSpec service(String name, String... aliases) {
    List<ClientAlias> list = java.util.Arrays.stream(aliases).map(a -> new ClientAlias(a, 80)).toList();
    return new ServiceSpec(name, "http", AppProtocol.HTTP, list, null, ServicePolicy.EMPTY);
  }

  private static Endpoint endpoint(String address) {
    return new Endpoint(address, 15000, null, Health.HEALTHY, null, null, null, null);
  }
}
