package io.tether.agent.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.bootstrap.BootstrapSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OTEL_RESOURCE_ATTRIBUTES an agent starts Envoy with: its egress spans' service name. */
class TracingEnvironmentTest {
  @Test
  void envoyIsNamedByItsBootstrapsClusterAndNamespace() {
    BootstrapSpec spec = new BootstrapSpec("checkout-task-1", "checkout", "prod", List.of(), "127.0.0.1", 18000,
        "token", 9901, null);
    assertThat(TracingEnvironment.of(spec)).as("unless the agent's own environment sets it")
        .containsExactlyEntriesOf(System.getenv("OTEL_RESOURCE_ATTRIBUTES") != null
            ? java.util.Map.of()
            : java.util.Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=checkout,service.namespace=prod"));
  }

  @Test
  void aTaskFamilyWithOtherCharactersIsPercentEncoded() {
    assertThat(TracingEnvironment.attributes("my family,x=1", "prod"))
        .isEqualTo("service.name=my%20family%2Cx%3D1,service.namespace=prod");
  }
}
