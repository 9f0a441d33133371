package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Namespaces, endpoints and the naming rules, as the API receives them: strict JSON, then {@link Validation}. */
class NamespaceAndEndpointValidationTest {
  private static Namespace namespace(String name, String json) {
    return Validation.namespace(name, Json.parse(json.getBytes(StandardCharsets.UTF_8), Namespace.class));
  }

  private static Endpoint endpoint(String json) {
    return Validation.endpoint(Json.parse(json.getBytes(StandardCharsets.UTF_8), Endpoint.class));
  }

  private static void refused(Runnable call, String field, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message);
  }

  // ---- namespaces ----

  @Test
  void aNamespaceTakesItsNameFromThePath() {
    assertThat(namespace("prod", "{\"description\":\"production\"}"))
        .isEqualTo(new Namespace("prod", "production", null));
    assertThat(namespace("prod", "{\"name\":\"prod\"}").name()).isEqualTo("prod");
  }

  @Test
  void aNamespaceNamedOtherwiseInItsBodyIsRefused() {
    refused(() -> namespace("prod", "{\"name\":\"staging\"}"), "name", "name 'staging' does not match the path 'prod'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Prod", "my_ns", "-prod", "prod-", "a.b"})
  void aNamespaceNameMustBeALabel(String name) {
    refused(() -> namespace(name, "{}"), "name", "name must be a DNS label");
  }

  @Test
  void aNamespaceDescriptionIsAtMost256Characters() {
    assertThat(namespace("prod", "{\"description\":\"" + "d".repeat(256) + "\"}").description()).hasSize(256);
    refused(() -> namespace("prod", "{\"description\":\"" + "d".repeat(257) + "\"}"), "description",
        "description must be at most 256 characters");
  }

  @Test
  void namespaceDefaultsAreCheckedAsPoliciesAndNamedUnderDefaults() {
    refused(() -> namespace("prod", "{\"defaults\":{\"timeout\":{\"idleTimeoutSeconds\":-1}}}"),
        "defaults.timeout.idleTimeoutSeconds", "defaults.timeout.idleTimeoutSeconds must be between 0 and 604800");
    refused(() -> namespace("prod", "{\"defaults\":{\"retryPolicy\":{\"retryOn\":[\"never\"]}}}"),
        "defaults.retryPolicy.retryOn[0]", "unknown retry condition 'never'");
    refused(() -> namespace("prod", "{\"defaults\":{\"hashOn\":{\"header\":\"x-user\"}}}"),
        "defaults.hashOn", "defaults.hashOn needs \"loadBalancing\"");
  }

  @Test
  void namespaceDefaultsMayHashOnAHeaderForTheirHttpServices() {
    // Defaults have no protocol: a tcp service simply does not inherit the key (PolicyInheritanceTest).
    Namespace ns = namespace("prod", "{\"defaults\":{\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user\"}}}");
    assertThat(ns.defaultsOrEmpty().hashOn()).isEqualTo(new HashOn("x-user", null, null));
    assertThat(namespace("prod", "{}").defaultsOrEmpty()).isSameAs(ServicePolicy.EMPTY);
  }

  // ---- endpoints ----

  @ParameterizedTest
  @CsvSource({"10.0.0.7,1", "10.0.0.7,65535", "2001:db8::7,15000", "127.0.0.1,8080"})
  void routableAddressesAndPortsInRangeAreAccepted(String address, int port) {
    Endpoint ep = endpoint("{\"address\":\"" + address + "\",\"port\":" + port + "}");
    assertThat(ep.address()).isEqualTo(address);
    assertThat(ep.port()).isEqualTo(port);
    assertThat(ep.healthOrDefault()).isEqualTo(Health.HEALTHY);
    assertThat(ep.metadata()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0", "host.example", "fe80::1%eth0", "10.0.0.1:80"})
  void anEndpointAddressMustBeALiteralIpWithoutAZone(String address) {
    refused(() -> endpoint("{\"address\":\"" + address + "\",\"port\":80}"), "address",
        "address must be an IPv4 or IPv6 address (without a zone such as %eth0)");
  }

  @Test
  void anEndpointWithoutAnAddressIsRefused() {
    refused(() -> endpoint("{\"port\":80}"), "address", "address must be an IPv4 or IPv6 address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.1.1", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1"})
  void anEndpointAddressMustBeRoutable(String address) {
    refused(() -> endpoint("{\"address\":\"" + address + "\",\"port\":80}"), "address",
        "address must be routable: " + address + " is link-local, unspecified or multicast");
  }

  @Test
  void anEndpointPortIsRequiredAndInRange() {
    refused(() -> endpoint("{\"address\":\"10.0.0.1\"}"), "port", "port is required");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":0}"), "port", "port must be between 1 and 65535, was 0");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":65536}"), "port", "was 65536");
  }

  @Test
  void anEndpointZoneIsADnsName() {
    assertThat(endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"zone\":\"eu-west-1a\"}").zone()).isEqualTo("eu-west-1a");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"zone\":\"EU West\"}"), "zone", "zone must be a DNS name");
  }

  @Test
  void anEndpointsTextFieldsAreAtMost256Characters() {
    String ok = "t".repeat(256);
    Endpoint ep = endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"taskId\":\"" + ok + "\",\"host\":\"" + ok + "\"}");
    assertThat(ep.taskId()).isEqualTo(ok);
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"taskId\":\"" + ok + "t\"}"), "taskId",
        "taskId must be at most 256 characters");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"host\":\"" + ok + "h\"}"), "host",
        "host must be at most 256 characters");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"metadata\":{\"k\":\"" + ok + "v\"}}"),
        "metadata.k", "metadata.k must be at most 256 characters");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"metadata\":{\"" + ok + "k\":\"v\"}}"),
        "metadata." + ok + "k", "must be at most 256 characters");
  }

  @Test
  void anEndpointHoldsAtMost32MetadataEntries() {
    String entries32 = IntStream.range(0, 32).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
    assertThat(endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"metadata\":{" + entries32 + "}}").metadata())
        .hasSize(32).containsEntry("k31", "v");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"metadata\":{" + entries32 + ",\"k32\":\"v\"}}"),
        "metadata", "metadata holds at most 32 entries");
  }

  @Test
  void aLeaseIdMustBePositiveAndIsReadAsAStringOrANumber() {
    assertThat(endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":\"7587884212957380001\"}").leaseId())
        .isEqualTo(7587884212957380001L);
    assertThat(endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":1}").leaseId()).isEqualTo(1L);
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":0}"), "leaseId",
        "leaseId must be a lease returned by POST /v1/leases");
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":-5}"), "leaseId", "leaseId must be a lease");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"12a\"", "\"\"", "\"99999999999999999999\"", "\"9223372036854775808\"", "\"-1\""})
  void aLeaseIdStringMustBeADecimalInt64(String leaseId) {
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":" + leaseId + "}"), "leaseId",
        "leaseId: " + leaseId.replace('"', '\'') + " is not a valid integer");
  }

  @Test
  void aLeaseIdOfAnotherJsonTypeIsRefused() {
    refused(() -> endpoint("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":true}"), "leaseId", "leaseId must be an integer");
  }

  @Test
  void aLeaseIdIsWrittenAsADecimalStringSoJavaScriptKeepsIt() {
    Endpoint ep = new Endpoint("10.0.0.1", 80, null, null, null, null, Map.of(), 7587884212957380001L);
    assertThat(Json.writeString(ep)).isEqualTo("{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":\"7587884212957380001\"}");
    assertThat(ep.withHealth(Health.UNHEALTHY).healthOrDefault()).isEqualTo(Health.UNHEALTHY);
    assertThat(ep.withHealth(Health.UNHEALTHY).leaseId()).isEqualTo(7587884212957380001L);
  }

  // ---- names ----

  @Test
  void labelsAreLowerCaseRfc1123LabelsOfAtMost63Characters() {
    assertThat(Names.isLabel("a")).isTrue();
    assertThat(Names.isLabel("a-1")).isTrue();
    assertThat(Names.isLabel("a".repeat(63))).isTrue();
    assertThat(Names.isLabel("a".repeat(64))).isFalse();
    assertThat(Names.isLabel(null)).isFalse();
    assertThat(Names.isLabel("")).isFalse();
    assertThat(Names.isLabel("A")).isFalse();
  }

  @Test
  void dnsNamesAreDottedLabelsOfAtMost253Characters() {
    String label = "a".repeat(63);
    String name253 = label + "." + label + "." + label + "." + "a".repeat(61);
    assertThat(name253).hasSize(253);
    assertThat(Names.isDnsName(name253)).isTrue();
    assertThat(Names.isDnsName(name253 + "a")).isFalse();
    assertThat(Names.isDnsName("payments.prod.internal")).isTrue();
    assertThat(Names.isDnsName("payments")).isTrue();
    assertThat(Names.isDnsName("payments.")).isFalse();
    assertThat(Names.isDnsName("payments..prod")).isFalse();
    assertThat(Names.isDnsName("")).isFalse();
    assertThat(Names.isDnsName(null)).isFalse();
  }

  @Test
  void endpointIdsAreTaskIdsOfUpTo128Characters() {
    assertThat(Names.requireEndpointId("endpointId", "3f9c1A.b_c-D")).isEqualTo("3f9c1A.b_c-D");
    assertThat(Names.isEndpointId("e".repeat(128))).isTrue();
    assertThat(Names.isEndpointId("e".repeat(129))).isFalse();
    assertThat(Names.isEndpointId(null)).isFalse();
    assertThat(Names.isEndpointId("-a")).isFalse();
    refused(() -> Names.requireEndpointId("endpointId", "a/b"), "endpointId",
        "endpointId must be 1 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
  }

  @Test
  void requireLabelReturnsTheLabel() {
    assertThat(Names.requireLabel("portName", "http")).isEqualTo("http");
  }
}
