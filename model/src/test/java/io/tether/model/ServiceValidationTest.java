package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service spec as the API receives it (JSON through the strict mapper, then {@link Validation}):
 * every rule refuses with the JSON path of the offending field and a message that says what is wrong,
 * and every bound is inclusive exactly where the rule says so.
 */
class ServiceValidationTest {
  private static final String ALIAS = "\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}]";

  static String service(String fields) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\"," + ALIAS + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  static ServiceSpec validate(String json) {
    return Validation.service("payments", Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class));
  }

  record Bad(String json, String field, String message) {}

  private static Arguments bad(String description, String json, String field, String message) {
    return Arguments.of(Named.of(description, new Bad(json, field, message)));
  }

  static Stream<Arguments> refused() {
    List<Arguments> rows = new ArrayList<>();
    rows.add(bad("discoveryName differs from the path",
        "{\"discoveryName\":\"billing\",\"portName\":\"http\"}", "discoveryName",
        "discoveryName 'billing' does not match the path 'payments'"));
    rows.add(bad("no portName", "{\"appProtocol\":\"http\"}", "portName", "portName is required"));
    rows.add(bad("empty portName", "{\"portName\":\"\"}", "portName", "portName is required"));
    rows.add(bad("portName in upper case", "{\"portName\":\"HTTP\"}", "portName", "portName must be a DNS label"));
    rows.add(bad("ingressPortOverride 0", service("\"ingressPortOverride\":0"), "ingressPortOverride",
        "ingressPortOverride must be between 1 and 65535, was 0"));
    rows.add(bad("ingressPortOverride 65536", service("\"ingressPortOverride\":65536"), "ingressPortOverride",
        "ingressPortOverride must be between 1 and 65535, was 65536"));
    // ---- client aliases ----
    rows.add(bad("alias dnsName with underscore",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"pay_ments\",\"port\":80}]}",
        "clientAliases[0].dnsName", "dnsName must be a DNS name of lower-case labels, at most 253 characters"));
    rows.add(bad("alias without dnsName", "{\"portName\":\"http\",\"clientAliases\":[{\"port\":80}]}",
        "clientAliases[0].dnsName", "dnsName must be a DNS name"));
    rows.add(bad("alias without port", "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"a\"}]}",
        "clientAliases[0].port", "clientAliases[0].port is required"));
    rows.add(bad("alias port 0", "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"a\",\"port\":0}]}",
        "clientAliases[0].port", "clientAliases[0].port must be between 1 and 65535, was 0"));
    rows.add(bad("second alias port 65536",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"a\",\"port\":80},{\"dnsName\":\"a\",\"port\":65536}]}",
        "clientAliases[1].port", "clientAliases[1].port must be between 1 and 65535, was 65536"));
    rows.add(bad("alias listed twice",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"a\",\"port\":80},{\"dnsName\":\"a\",\"port\":80}]}",
        "clientAliases[1]", "client alias a:80 is listed twice"));
    rows.add(bad("two aliases on one port",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"a\",\"port\":80},{\"dnsName\":\"b\",\"port\":80}]}",
        "clientAliases[1].port", "client alias b:80 has the port of a:80"));
    rows.add(bad("33 aliases", "{\"portName\":\"http\",\"clientAliases\":[" + aliases(33) + "]}",
        "clientAliases", "at most 32 client aliases"));
    // ---- timeouts and retries ----
    rows.add(bad("negative idle timeout", service("\"timeout\":{\"idleTimeoutSeconds\":-1}"),
        "timeout.idleTimeoutSeconds", "timeout.idleTimeoutSeconds must be between 0 and 604800, was -1"));
    rows.add(bad("idle timeout over a week", service("\"timeout\":{\"idleTimeoutSeconds\":604801}"),
        "timeout.idleTimeoutSeconds", "timeout.idleTimeoutSeconds must be between 0 and 604800, was 604801"));
    rows.add(bad("negative request timeout", service("\"timeout\":{\"perRequestTimeoutSeconds\":-1}"),
        "timeout.perRequestTimeoutSeconds", "must be between 0 and 604800, was -1"));
    rows.add(bad("request timeout over a week", service("\"timeout\":{\"perRequestTimeoutSeconds\":604801}"),
        "timeout.perRequestTimeoutSeconds", "was 604801"));
    rows.add(bad("11 retries", service("\"retryPolicy\":{\"numRetries\":11}"),
        "retryPolicy.numRetries", "retryPolicy.numRetries must be between 0 and 10, was 11"));
    rows.add(bad("-1 retries", service("\"retryPolicy\":{\"numRetries\":-1}"),
        "retryPolicy.numRetries", "must be between 0 and 10, was -1"));
    rows.add(bad("per-try timeout over a week", service("\"retryPolicy\":{\"perTryTimeoutMs\":604800001}"),
        "retryPolicy.perTryTimeoutMs", "retryPolicy.perTryTimeoutMs must be between 0 and 604800000, was 604800001"));
    rows.add(bad("negative per-try timeout", service("\"retryPolicy\":{\"perTryTimeoutMs\":-1}"),
        "retryPolicy.perTryTimeoutMs", "was -1"));
    rows.add(bad("unknown retry condition", service("\"retryPolicy\":{\"retryOn\":[\"5xx\",\"sometimes\"]}"),
        "retryPolicy.retryOn[1]", "unknown retry condition 'sometimes': use one of 5xx, cancelled, connect-failure"));
    rows.add(bad("status code outside 4xx/5xx", service("\"retryPolicy\":{\"retryOn\":[\"200\"]}"),
        "retryPolicy.retryOn[0]", "or a 4xx/5xx status code"));
    rows.add(bad("status code of four digits", service("\"retryPolicy\":{\"retryOn\":[\"5030\"]}"),
        "retryPolicy.retryOn[0]", "unknown retry condition '5030'"));
    // ---- outlier detection and circuit breakers: each bound of each field ----
    for (String[] r : new String[][] {
        {"outlierDetection", "consecutive5xx", "1", "1000"},
        {"outlierDetection", "intervalMs", "1", "3600000"},
        {"outlierDetection", "baseEjectionTimeMs", "1", "3600000"},
        {"outlierDetection", "maxEjectionPercent", "0", "100"},
        {"circuitBreakers", "maxConnections", "1", null},
        {"circuitBreakers", "maxPendingRequests", "1", null},
        {"circuitBreakers", "maxRequests", "1", null},
        {"circuitBreakers", "maxRetries", "0", null},
        {"healthCheck", "intervalSeconds", "1", "300"},
        {"healthCheck", "timeoutSeconds", "1", "300"},
        {"healthCheck", "healthyThreshold", "1", "10"},
        {"healthCheck", "unhealthyThreshold", "1", "10"}}) {
      String field = r[0] + "." + r[1];
      int min = Integer.parseInt(r[2]);
      String max = r[3] == null ? String.valueOf(Integer.MAX_VALUE) : r[3];
      rows.add(bad(field + " below " + min, service("\"" + r[0] + "\":{\"" + r[1] + "\":" + (min - 1) + "}"),
          field, field + " must be between " + min + " and " + max + ", was " + (min - 1)));
      if (r[3] != null) {
        long over = Long.parseLong(max) + 1;
        String extra = r[0].equals("healthCheck") && r[1].equals("timeoutSeconds") ? ",\"intervalSeconds\":300" : "";
        rows.add(bad(field + " above " + max, service("\"" + r[0] + "\":{\"" + r[1] + "\":" + over + extra + "}"),
            field, field + " must be between " + min + " and " + max + ", was " + over));
      }
    }
    // ---- health check ----
    rows.add(bad("health check protocol udp", service("\"healthCheck\":{\"protocol\":\"udp\"}"),
        "healthCheck.protocol", "protocol must be one of http, tcp, grpc"));
    rows.add(bad("health check path without '/'", service("\"healthCheck\":{\"path\":\"healthz\"}"),
        "healthCheck.path", "path must start with '/' and be at most 256 characters"));
    rows.add(bad("health check path of 257 characters",
        service("\"healthCheck\":{\"path\":\"/" + "a".repeat(256) + "\"}"), "healthCheck.path", "at most 256 characters"));
    rows.add(bad("health check timeout longer than its interval",
        service("\"healthCheck\":{\"intervalSeconds\":5,\"timeoutSeconds\":6}"),
        "healthCheck.timeoutSeconds", "timeoutSeconds must not exceed intervalSeconds"));
    // ---- hashOn ----
    rows.add(bad("hashOn with two keys",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user\",\"cookie\":\"s\"}"),
        "hashOn", "hashOn must name exactly one of header, cookie, sourceIp: true"));
    rows.add(bad("hashOn with three keys",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user\",\"cookie\":\"s\",\"sourceIp\":true}"),
        "hashOn", "exactly one of"));
    rows.add(bad("hashOn with no key", service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{}"),
        "hashOn", "exactly one of"));
    rows.add(bad("hashOn sourceIp false is no key", service("\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"sourceIp\":false}"),
        "hashOn", "exactly one of"));
    rows.add(bad("hashOn without loadBalancing", service("\"hashOn\":{\"header\":\"x-user\"}"),
        "hashOn", "hashOn needs \"loadBalancing\": \"RING_HASH\" or \"MAGLEV\" beside it, was unset"));
    rows.add(bad("hashOn with ROUND_ROBIN", service("\"loadBalancing\":\"ROUND_ROBIN\",\"hashOn\":{\"sourceIp\":true}"),
        "hashOn", "beside it, was ROUND_ROBIN"));
    rows.add(bad("hashOn header in upper case", service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"X-User\"}"),
        "hashOn.header", "hashOn.header must be in lower case"));
    rows.add(bad("hashOn header with a space", service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x user\"}"),
        "hashOn.header", "hashOn.header must be an HTTP token of at most 256 characters"));
    rows.add(bad("hashOn header empty", service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"\"}"),
        "hashOn.header", "must be an HTTP token"));
    rows.add(bad("hashOn header of 257 characters",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"" + "x".repeat(257) + "\"}"),
        "hashOn.header", "must be an HTTP token"));
    rows.add(bad("hashOn cookie with '='", service("\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"a=b\"}"),
        "hashOn.cookie", "hashOn.cookie must be an HTTP token of at most 256 characters (letters, digits and "
            + "!#$%&'*+-.^_`|~), was 'a=b'"));
    rows.add(bad("hashOn header for a tcp service",
        "{\"portName\":\"pg\",\"appProtocol\":\"tcp\",\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user\"}}",
        "hashOn.header", "a tcp service has no headers or cookies: hash it on \"sourceIp\": true"));
    rows.add(bad("hashOn cookie for a service without appProtocol (tcp)",
        "{\"portName\":\"pg\",\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"session\"}}",
        "hashOn.cookie", "a tcp service has no headers or cookies"));
    return rows.stream();
  }

  private static String aliases(int n) {
    return IntStream.range(0, n).mapToObj(i -> "{\"dnsName\":\"a" + i + "\",\"port\":" + (1000 + i) + "}")
        .collect(Collectors.joining(","));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesNamingTheField(Bad row) {
    assertThatThrownBy(() -> validate(row.json()))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.field()).isEqualTo(row.field());
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
          assertThat(e.code().httpStatus()).isEqualTo(400);
        })
        .hasMessageContaining(row.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"ingressPortOverride\":1",
      "\"ingressPortOverride\":65535",
      "\"timeout\":{\"idleTimeoutSeconds\":0,\"perRequestTimeoutSeconds\":604800}",
      "\"timeout\":{\"idleTimeoutSeconds\":604800,\"perRequestTimeoutSeconds\":0}",
      "\"retryPolicy\":{\"numRetries\":0,\"perTryTimeoutMs\":604800000,\"retryOn\":[\"5xx\",\"503\",\"429\",\"unavailable\"]}",
      "\"retryPolicy\":{\"numRetries\":10,\"perTryTimeoutMs\":0}",
      "\"outlierDetection\":{\"consecutive5xx\":1,\"intervalMs\":1,\"baseEjectionTimeMs\":1,\"maxEjectionPercent\":0}",
      "\"outlierDetection\":{\"consecutive5xx\":1000,\"intervalMs\":3600000,\"baseEjectionTimeMs\":3600000,\"maxEjectionPercent\":100}",
      "\"circuitBreakers\":{\"maxConnections\":1,\"maxPendingRequests\":1,\"maxRequests\":1,\"maxRetries\":0}",
      "\"circuitBreakers\":{\"maxConnections\":2147483647,\"maxPendingRequests\":2147483647,\"maxRequests\":2147483647,\"maxRetries\":2147483647}",
      "\"healthCheck\":{\"protocol\":\"grpc\",\"path\":\"/\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":1}",
      "\"healthCheck\":{\"protocol\":\"tcp\",\"intervalSeconds\":300,\"timeoutSeconds\":300,\"healthyThreshold\":10,\"unhealthyThreshold\":10}",
      "\"healthCheck\":{\"protocol\":\"http\",\"timeoutSeconds\":300}",
      "\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user-id\"}",
      "\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"Session-ID\"}",
      "\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"sourceIp\":true}"})
  void acceptsEveryBoundItNames(String fields) {
    assertThat(validate(service(fields)).discoveryName()).isEqualTo("payments");
  }

  @Test
  void acceptsTheHealthCheckPathAtItsLongest() {
    validate(service("\"healthCheck\":{\"path\":\"/" + "a".repeat(255) + "\"}"));
  }

  @Test
  void acceptsAHashKeyAtItsLongest() {
    validate(service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"" + "x".repeat(256) + "\"}"));
    validate(service("\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"" + "c".repeat(256) + "\"}"));
  }

  @Test
  void acceptsThirtyTwoAliasesEachOnItsOwnPort() {
    ServiceSpec spec = validate("{\"portName\":\"http\",\"clientAliases\":[" + aliases(32) + "]}");
    assertThat(spec.clientAliases()).hasSize(32);
    assertThat(spec.clientAliases().get(31).hostPort()).isEqualTo("a31:1031");
  }

  @Test
  void aTcpServiceMayHashOnTheSourceAddress() {
    ServiceSpec spec = validate("{\"portName\":\"pg\",\"appProtocol\":\"tcp\",\"loadBalancing\":\"MAGLEV\","
        + "\"hashOn\":{\"sourceIp\":true}}");
    assertThat(spec.protocol()).isEqualTo(AppProtocol.TCP);
    assertThat(spec.effectivePolicy(null).hashOn()).isEqualTo(new HashOn(null, null, true));
  }

  @Test
  void theNameComesFromThePathAndTheSpecIsOtherwiseKeptAsWritten() {
    ServiceSpec spec = validate("{\"discoveryName\":\"payments\",\"portName\":\"http\",\"appProtocol\":\"grpc\","
        + "\"ingressPortOverride\":9000," + ALIAS + "}");
    assertThat(spec).isEqualTo(new ServiceSpec("payments", "http", AppProtocol.GRPC,
        List.of(new ClientAlias("payments", 8080)), 9000, ServicePolicy.EMPTY));
    ServiceSpec unnamed = validate("{\"portName\":\"http\"}");
    assertThat(unnamed.discoveryName()).isEqualTo("payments");
    assertThat(unnamed.clientAliases()).isEmpty();
  }

  @Test
  void theServiceNameInThePathMustBeALabel() {
    ServiceSpec spec = Json.parse("{\"portName\":\"http\"}".getBytes(StandardCharsets.UTF_8), ServiceSpec.class);
    assertThatThrownBy(() -> Validation.service("Payments", spec))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("discoveryName"))
        .hasMessage("discoveryName must be a DNS label (lower-case letters, digits and '-', starting and ending "
            + "with a letter or digit, at most 63 characters)");
    assertThatThrownBy(() -> Validation.service(null, spec))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("discoveryName"))
        .hasMessage("discoveryName is required");
  }

  @Test
  void protocolsKnowWhetherTheyAreHttpAndWhetherTheyNeedHttp2() {
    assertThat(AppProtocol.HTTP.isHttp()).isTrue();
    assertThat(AppProtocol.GRPC.isHttp()).isTrue();
    assertThat(AppProtocol.TCP.isHttp()).isFalse();
    assertThat(AppProtocol.HTTP2.needsHttp2()).isTrue();
    assertThat(AppProtocol.GRPC.needsHttp2()).isTrue();
    assertThat(AppProtocol.HTTP.needsHttp2()).isFalse();
    assertThat(AppProtocol.TCP.needsHttp2()).isFalse();
  }
}
