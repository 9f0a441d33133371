package io.tether.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.ClientAlias;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AliasPlanTest {
  private static ServiceSpec spec(String name, ClientAlias... aliases) {
    return new ServiceSpec(name, "http", null, List.of(aliases), null, ServicePolicy.EMPTY);
  }

  @Test
  void firstAliasAllocatesOneVipForTheService() {
    AliasPlan plan = AliasPlan.compute("prod", null,
        spec("payments", new ClientAlias("payments", 8080), new ClientAlias("pay", 8080)), Map.of(), Map.of());
    assertThat(plan.allocatesVip()).isTrue();
    assertThat(plan.vip()).startsWith("127.255.");
    assertThat(plan.added()).containsExactly("payments:8080", "pay:8080");
  }

  @Test
  void updateKeepsTheVipAndClaimsOnlyNewAliases() {
    AliasPlan plan = AliasPlan.compute("prod", spec("payments", new ClientAlias("payments", 8080)),
        spec("payments", new ClientAlias("payments", 9090)),
        Map.of("payments:8080", "127.255.0.7"), Map.of("127.255.0.7", "payments"));
    assertThat(plan.allocatesVip()).isFalse();
    assertThat(plan.vip()).isEqualTo("127.255.0.7");
    assertThat(plan.added()).containsExactly("payments:9090");
    assertThat(plan.removed()).containsExactly("payments:8080");
  }

  @Test
  void removingTheLastAliasReleasesTheVip() {
    AliasPlan plan = AliasPlan.compute("prod", spec("payments", new ClientAlias("payments", 8080)), spec("payments"),
        Map.of("payments:8080", "127.255.0.7"), Map.of("127.255.0.7", "payments"));
    assertThat(plan.vip()).isNull();
    assertThat(plan.releasedVip()).isEqualTo("127.255.0.7");
  }

  @Test
  void anAliasOfAnotherServiceIsAConflictNamingTheOwner() {
    assertThatThrownBy(() -> AliasPlan.compute("prod", null, spec("billing", new ClientAlias("payments", 8080)),
        Map.of("payments:8080", "127.255.0.7"), Map.of("127.255.0.7", "payments")))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
          assertThat(e.field()).isEqualTo("clientAliases[0]");
          assertThat(e.getMessage()).contains("'payments'");
        });
  }

  @Test
  void aDnsNameOfAnotherServiceOnAnotherPortIsAConflict() {
    assertThatThrownBy(() -> AliasPlan.compute("prod", null, spec("billing", new ClientAlias("payments", 9090)),
        Map.of("payments:8080", "127.255.0.7"), Map.of("127.255.0.7", "payments")))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.field()).isEqualTo("clientAliases[0].dnsName"));
  }
}
