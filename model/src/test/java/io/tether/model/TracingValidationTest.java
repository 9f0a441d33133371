package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A namespace's {@code tracing}, as the API receives it: strict JSON, then {@link Validation}. */
class TracingValidationTest {
  private static Namespace namespace(String tracingJson) {
    String body = "{\"tracing\":" + tracingJson + "}";
    return Validation.namespace("prod", Json.parse(body.getBytes(StandardCharsets.UTF_8), Namespace.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.9.4:4317", "[fd00::9]:4317", "otel-collector.observability:4317", "collector:1"})
  void aCollectorIsAnIpOrDnsNameAndAPort(String collector) {
    assertThat(namespace("{\"collector\":\"" + collector + "\"}").tracing())
        .isEqualTo(new Tracing(collector, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.9.4", "fd00::9:4317", "[10.0.9.4]:4317", "collector:0", "collector:65536",
      "Collector_1:4317", "http://collector:4317", "[fe80::1%eth0]:4317", ":4317", ""})
  void anythingElseIsRefusedNamingTheField(String collector) {
    assertThatThrownBy(() -> namespace("{\"collector\":\"" + collector + "\"}"))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("tracing.collector"))
        .hasMessageContaining("tracing.collector must be HOST:PORT");
  }

  @Test
  void theCollectorIsRequired() {
    assertThatThrownBy(() -> namespace("{\"samplingPercent\":5}"))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("tracing.collector"))
        .hasMessageContaining("was missing");
  }

  @ParameterizedTest
  @CsvSource({"0, 0.0", "10, 10.0", "0.5, 0.5", "100, 100.0", "12.3456, 12.3456"})
  void samplingIsAPercentWholeOrNot(String json, double expected) {
    assertThat(namespace("{\"collector\":\"c:4317\",\"samplingPercent\":" + json + "}").tracing().samplingPercent())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "150 | tracing.samplingPercent | must be between 0 and 100, was 150.0",
      "-1 | tracing.samplingPercent | must be between 0 and 100, was -1.0",
      "\"10\" | tracing.samplingPercent | ",
      "true | tracing.samplingPercent | "})
  void samplingOutOfRangeOrNotANumberIsRefused(String json, String field, String message) {
    assertThatThrownBy(() -> namespace("{\"collector\":\"c:4317\",\"samplingPercent\":" + json + "}"))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message == null ? "" : message);
  }

  @Test
  void unknownFieldsAreRefused() {
    assertThatThrownBy(() -> namespace("{\"collector\":\"c:4317\",\"sampling\":5}"))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).startsWith("tracing."));
  }

  @Test
  void theEffectiveNamespaceSamplesOnePercentByDefault() {
    Namespace ns = namespace("{\"collector\":\"c:4317\"}");
    assertThat(ns.effective().tracing()).isEqualTo(new Tracing("c:4317", 1.0));
    assertThat(ns.tracing().samplingPercent()).as("stored as written").isNull();
    Namespace none = new Namespace("prod", null, null);
    assertThat(none.effective()).isSameAs(none);
  }

  @Test
  void aNamespaceWithoutTracingIsStoredAsBefore() {
    assertThat(Json.writeString(new Namespace("prod", "d", null))).isEqualTo("{\"name\":\"prod\",\"description\":\"d\"}");
  }
}
