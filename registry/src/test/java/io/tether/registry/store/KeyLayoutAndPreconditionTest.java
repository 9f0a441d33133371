package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's etcd keys and the caller's preconditions, on their own (no etcd). */
class KeyLayoutAndPreconditionTest {

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
    assertThat(Precondition.NONE.compare(new KeyLayout("/t").root())).isEmpty();
    Precondition.NONE.check(0);
    Precondition.NONE.check(9);
    Precondition.ifMatch(9).check(9);
    Precondition.ifNoneMatchAny().check(0);
    new Precondition(null, true, false).check(9);
  }
}
