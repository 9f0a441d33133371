package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authorization default as a policy field, and a rule's model (docs/security.md "Authorization"). */
class AuthorizationPolicyTest {
  private static final ServicePolicy DENY = ServicePolicy.EMPTY.withAuthorization(
      new AuthorizationPolicy(AuthorizationAction.DENY));

  @Test
  void theDefaultIsAllowThenTheNamespacesThenTheServicesOwn() {
    ServiceSpec bare = Json.read("{\"discoveryName\":\"web\",\"portName\":\"p\"}".getBytes(StandardCharsets.UTF_8),
        ServiceSpec.class);
    assertThat(bare.effectivePolicy(null).authorization().defaultAction()).isEqualTo(AuthorizationAction.ALLOW);
    Namespace denying = new Namespace("prod", null, DENY);
    assertThat(bare.effectivePolicy(denying).authorization().defaultAction()).isEqualTo(AuthorizationAction.DENY);
    ServiceSpec allowing = bare.withPolicy(ServicePolicy.EMPTY.withAuthorization(
        new AuthorizationPolicy(AuthorizationAction.ALLOW)));
    assertThat(allowing.effectivePolicy(denying).authorization().defaultAction()).isEqualTo(AuthorizationAction.ALLOW);
  }

  @Test
  void theFieldSitsBesideTheOtherPolicyFieldsInJson() {
    ServiceSpec spec = Json.parse("{\"portName\":\"p\",\"authorization\":{\"defaultAction\":\"DENY\"}}"
        .getBytes(StandardCharsets.UTF_8), ServiceSpec.class);
    assertThat(spec.policy().authorization().defaultAction()).isEqualTo(AuthorizationAction.DENY);
    assertThat(Json.writeString(spec)).contains("\"authorization\":{\"defaultAction\":\"DENY\"}");
  }

  @Test
  void aRuleIsNamedByItsPathAndHttpIsRefusedForATcpCallee() {
    Authorization rule = new Authorization(null, "*", "db", null,
        java.util.List.of(new HttpMatch(null, java.util.List.of("GET"))));
    assertThat(AuthorizationValidation.rule("r", rule, null).name()).isEqualTo("r");
    assertThat(AuthorizationValidation.rule("r", rule, AppProtocol.GRPC).actionOrDefault())
        .isEqualTo(AuthorizationAction.ALLOW);
    assertThatThrownBy(() -> AuthorizationValidation.rule("r", rule, AppProtocol.TCP))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("tcp service");
  }

  /** Callers of another namespace (README "Exports and imports"): {@code ns/svc} and {@code ns/*}, labels only. */
  @Test
  void fromNamesACallerOfAnotherNamespaceAsNamespaceSlashServiceOrStar() {
    for (String from : List.of("*", "checkout", "dev/checkout", "dev/*")) {
      assertThat(AuthorizationValidation.rule("r", new Authorization(null, from, "web", null, null), null).from())
          .isEqualTo(from);
    }
    for (String from : List.of("dev/", "/checkout", "Dev/checkout", "dev/checkout/x", "*/checkout", "dev/che*")) {
      assertThatThrownBy(() -> AuthorizationValidation.rule("r", new Authorization(null, from, "web", null, null), null))
          .as(from).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("from"));
    }
  }
}
