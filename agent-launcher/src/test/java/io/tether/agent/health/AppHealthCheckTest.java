package io.tether.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.health.HealthCheck.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The --health-check notation and the registry's healthCheck policy, as checks. */
class HealthCheckTest {
  @Test
  void parsesEachFormWithTheDefaultTiming() {
    HealthCheck http = HealthCheck.parse("http:/healthz", 8080);
    assertThat(http.protocol()).isEqualTo(Protocol.HTTP);
    assertThat(http.path()).isEqualTo("/healthz");
    assertThat(http.port()).isEqualTo(8080);
    assertThat(http.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(http.healthyThreshold()).isEqualTo(2);
    assertThat(http.unhealthyThreshold()).isEqualTo(3);

    assertThat(HealthCheck.parse("http", 80).path()).isEqualTo("/");
    assertThat(HealthCheck.parse("http:/ready?deep=1", 80).path()).isEqualTo("/ready?deep=1");
    assertThat(HealthCheck.parse("tcp", 5432).protocol()).isEqualTo(Protocol.TCP);
    assertThat(HealthCheck.parse("grpc", 9090).grpcService()).isEmpty();
    assertThat(HealthCheck.parse("grpc:shop.Payments", 9090).grpcService()).isEqualTo("shop.Payments");
    assertThat(HealthCheck.parse("none", 0).protocol()).isEqualTo(Protocol.NONE);
    assertThat(HealthCheck.parse("HTTP:/x", 80).protocol()).as("case-insensitive kind").isEqualTo(Protocol.HTTP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http:healthz", "http:", "udp", "tcp:80", "grpc:", "none:x", ""})
  void rejectsMalformedSpecsSayingWhatIsExpected(String spec) {
    assertThatThrownBy(() -> HealthCheck.parse(spec, 8080))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health check");
  }

  @Test
  void rejectsImpossibleTimingThresholdsAndPorts() {
    HealthCheck http = HealthCheck.parse("http:/healthz", 8080);
    assertThatThrownBy(() -> http.withThresholds(0, 3)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> http.withTiming(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("positive");
    assertThatThrownBy(() -> HealthCheck.parse("tcp", 0)).hasMessageContaining("port");
    assertThatThrownBy(() -> HealthCheck.parse("tcp", 65536)).hasMessageContaining("port");
  }

  @Test
  void aServicePolicyBecomesTheSameCheckWithItsTiming() {
    HealthCheck check = HealthCheck.fromPolicy(
        new io.tether.model.HealthCheck("http", "/live", 7, 3, 4, 5), 8080);

    assertThat(check).isEqualTo(new HealthCheck(Protocol.HTTP, "/live", null, 8080, Duration.ofSeconds(7),
        Duration.ofSeconds(3), 4, 5));
    assertThat(HealthCheck.fromPolicy(new io.tether.model.HealthCheck("grpc", "/healthz", null, null,
        null, null), 9090)).isEqualTo(HealthCheck.parse("grpc", 9090));
    assertThat(HealthCheck.fromPolicy(new io.tether.model.HealthCheck(null, null, null, null, null, null),
        80)).isEqualTo(HealthCheck.parse("http:/healthz", 80));
  }
}
