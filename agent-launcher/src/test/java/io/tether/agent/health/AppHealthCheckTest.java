package io.tether.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.health.AppHealthCheck.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The --health-check notation and the registry's healthCheck policy, as checks. */
class AppHealthCheckTest {
  @Test
  void parsesEachFormWithTheDefaultTiming() {
    AppHealthCheck http = AppHealthCheck.parse("http:/healthz", 8080);
    assertThat(http.protocol()).isEqualTo(Protocol.HTTP);
    assertThat(http.path()).isEqualTo("/healthz");
    assertThat(http.port()).isEqualTo(8080);
    assertThat(http.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(http.healthyThreshold()).isEqualTo(2);
    assertThat(http.unhealthyThreshold()).isEqualTo(3);

    assertThat(AppHealthCheck.parse("http", 80).path()).isEqualTo("/");
    assertThat(AppHealthCheck.parse("http:/ready?deep=1", 80).path()).isEqualTo("/ready?deep=1");
    assertThat(AppHealthCheck.parse("tcp", 5432).protocol()).isEqualTo(Protocol.TCP);
    assertThat(AppHealthCheck.parse("grpc", 9090).grpcService()).isEmpty();
    assertThat(AppHealthCheck.parse("grpc:shop.Payments", 9090).grpcService()).isEqualTo("shop.Payments");
    assertThat(AppHealthCheck.parse("none", 0).protocol()).isEqualTo(Protocol.NONE);
    assertThat(AppHealthCheck.parse("HTTP:/x", 80).protocol()).as("case-insensitive kind").isEqualTo(Protocol.HTTP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http:healthz", "http:", "udp", "tcp:80", "grpc:", "none:x", ""})
  void rejectsMalformedSpecsSayingWhatIsExpected(String spec) {
    assertThatThrownBy(() -> AppHealthCheck.parse(spec, 8080))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health check");
  }

  @Test
  void rejectsImpossibleTimingThresholdsAndPorts() {
    AppHealthCheck http = AppHealthCheck.parse("http:/healthz", 8080);
    assertThatThrownBy(() -> http.withThresholds(0, 3)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> http.withTiming(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("positive");
    assertThatThrownBy(() -> AppHealthCheck.parse("tcp", 0)).hasMessageContaining("port");
    assertThatThrownBy(() -> AppHealthCheck.parse("tcp", 65536)).hasMessageContaining("port");
  }

  @Test
  void aServicePolicyBecomesTheSameCheckWithItsTiming() {
    AppHealthCheck check = AppHealthCheck.fromPolicy(
        new io.tether.model.HealthCheck("http", "/live", 7, 3, 4, 5), 8080);

    assertThat(check).isEqualTo(new AppHealthCheck(Protocol.HTTP, "/live", null, 8080, Duration.ofSeconds(7),
        Duration.ofSeconds(3), 4, 5));
    assertThat(AppHealthCheck.fromPolicy(new io.tether.model.HealthCheck("grpc", "/healthz", null, null,
        null, null), 9090)).isEqualTo(AppHealthCheck.parse("grpc", 9090));
    assertThat(AppHealthCheck.fromPolicy(new io.tether.model.HealthCheck(null, null, null, null, null, null),
        80)).isEqualTo(AppHealthCheck.parse("http:/healthz", 80));
  }
}
