package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stock grpc-java xDS client resolves a Tether service by name and spreads calls over its endpoints. */
class ProxylessRoutingTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void threeHundredCallsSpreadOverThreeBackends() {
    mesh.service("a", "payments", 8080, "");
    for (String name : new String[] {"p1", "p2", "p3"}) {
      mesh.register("a", "payments", mesh.backend(name), "HEALTHY");
    }
    XdsClient client = mesh.client("a", Mesh.AGENT_A);
    ManagedChannel channel = client.channel("payments:8080");
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(XdsClient.call(channel, 5_000), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("p1", "p2", "p3");
    counts.values().forEach(n -> assertThat(n).as("calls per backend of 300: %s", counts).isGreaterThanOrEqualTo(60));
  }
}
