package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.RawHttp;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests as an attacker or a broken client sends them, byte for byte: each gets its 4xx in the
 * API's JSON error format, and etcd holds exactly what it held before (same keys, values, revisions).
 * The first rows are the dot-segment class: before the guard, {@code …/endpoints/%2e%2e} was routed
 * as {@code …/services/s1} and deleted the service.
 */
class HostileRequestTest {
  private static final String AUTH = "Authorization: Bearer " + TestRegistry.ADMIN + "\r\n";
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    var api = registry.admin();
    api.put("/v1/namespaces/hr", "{\"description\":\"hostile\"}").expect(201);
    api.put("/v1/namespaces/empty", "{}").expect(201);
    api.put("/v1/namespaces/hr/services/s1", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80}]}").expect(201);
    api.put("/v1/namespaces/hr/services/s1/endpoints/e1", "{\"address\":\"10.0.0.1\",\"port\":15000}").expect(201);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Arguments row(String description, String request, int status, String code) {
    return Arguments.of(Named.of(description, request), status, code);
  }

  private static String req(String method, String target, String extraHeaders, String body) {
    String length = body == null ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n";
    return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + AUTH + extraHeaders + length + "\r\n"
        + (body == null ? "" : body);
  }

  static Stream<Arguments> hostile() {
    String ep = "/v1/namespaces/hr/services/s1/endpoints/";
    List<Arguments> rows = new ArrayList<>();
    rows.add(row("DELETE endpoints/%2e%2e (was: deletes service s1)", req("DELETE", ep + "%2e%2e", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("DELETE endpoints/%2E%2E", req("DELETE", ep + "%2E%2E", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("DELETE endpoints/.. literally", req("DELETE", ep + "..", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("DELETE endpoints/.", req("DELETE", ep + ".", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("PUT services/%2e%2e (was: overwrites the namespace)",
        req("PUT", "/v1/namespaces/hr/services/%2e%2e", "", "{\"description\":\"overwritten\"}"), 400, "INVALID_ARGUMENT"));
    rows.add(row("DELETE services/%2e%2e (was: deletes an empty namespace)",
        req("DELETE", "/v1/namespaces/empty/services/%2e%2e", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("an encoded slash", req("DELETE", "/v1/namespaces/hr/services/s1%2fendpoints%2fe1", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("an encoded NUL", req("DELETE", "/v1/namespaces/empty%00", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("double encoding", req("DELETE", ep + "%252e%252e", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("an empty segment", req("DELETE", "/v1/namespaces//empty", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("a malformed escape in the path", req("GET", "/v1/namespaces/%zz", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("a malformed escape in the query", req("GET", "/v1/namespaces?x=%zz", "", null), 400, "INVALID_ARGUMENT"));
    rows.add(row("a form content type with a bad escape in the body",
        req("PUT", "/v1/namespaces/empty", "Content-Type: application/x-www-form-urlencoded\r\n", "{\"a\":\"%zz\"}"), 400, "INVALID_ARGUMENT"));
    rows.add(row("no Host header", "GET /healthz HTTP/1.1\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("a malformed Host header", "GET /healthz HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("two Host headers", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("Expect: 200-ok", "GET /healthz HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417, "EXPECTATION_FAILED"));
    rows.add(row("an invalid chunk size", req("PUT", "/v1/namespaces/empty", "Transfer-Encoding: chunked\r\n", null)
        + "zz\r\nabc\r\n0\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("Transfer-Encoding: gzip, chunked", req("PUT", "/v1/namespaces/empty",
        "Transfer-Encoding: gzip, chunked\r\n", null) + "2\r\n{}\r\n0\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("Content-Encoding: gzip", req("PUT", "/v1/namespaces/empty", "Content-Encoding: gzip\r\n", "{}"),
        415, "UNSUPPORTED_MEDIA_TYPE"));
    rows.add(row("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("a garbage request line", "GARBAGE\r\n\r\n", 400, "INVALID_ARGUMENT"));
    rows.add(row("headers over the limit", "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n",
        431, "HEADERS_TOO_LARGE"));
    rows.add(row("a UTF-16 body", req("PUT", "/v1/namespaces/empty", "Content-Length: 4\r\n", null) + "{\0}\0",
        400, "INVALID_ARGUMENT"));
    rows.add(row("a lone surrogate in a string", req("PUT", "/v1/namespaces/empty", "", "{\"description\":\"\\ud800\"}"),
        400, "INVALID_ARGUMENT"));
    rows.add(row("an endpoint address with a zone", req("PUT", ep + "e2", "", "{\"address\":\"fe80::1%eth0\",\"port\":15000}"),
        400, "INVALID_ARGUMENT"));
    rows.add(row("a link-local endpoint address", req("PUT", ep + "e2", "", "{\"address\":\"169.254.1.1\",\"port\":15000}"),
        400, "INVALID_ARGUMENT"));
    rows.add(row("a signed lease id", req("POST", "/v1/leases/+5/keepalive", "", null), 400, "INVALID_ARGUMENT"));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void isRefusedInJsonAndChangesNothing(String request, int status, String code) {
    Map<String, String> before = registry.etcdContents();
    try (RawHttp http = new RawHttp(registry.server().apiPort())) {
      RawHttp.Response r = http.send(request).read();
      assertThat(r.status()).as(r.raw()).isEqualTo(status);
      assertThat(r.header("content-type")).isEqualTo("application/json");
      assertThat(r.errorCode()).as(r.raw()).isEqualTo(code);
      assertThat(r.body().at("/error/message").asText()).isNotBlank();
    }
    assertThat(registry.etcdContents()).as("etcd is unchanged").isEqualTo(before);
  }

  @Test
  void wrongMethodIs405WithAllow() {
    try (RawHttp http = new RawHttp(registry.server().apiPort())) {
      RawHttp.Response r = http.send(req("POST", "/v1/namespaces/hr/services/s1", "", "{}")).read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
      assertThat(r.header("allow")).isEqualTo("DELETE, GET, PUT");
    }
  }

  @Test
  void aJsonBodyIsTakenWhateverItsContentTypeSays() {
    try (RawHttp http = new RawHttp(registry.server().apiPort())) {
      RawHttp.Response r = http.send(req("PUT", "/v1/namespaces/formtype",
          "Content-Type: application/x-www-form-urlencoded\r\n", "{\"description\":\"100% JSON\"}")).read();
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }
    assertThat(registry.admin().get("/v1/namespaces/formtype").body().path("description").asText()).isEqualTo("100% JSON");
  }

  @Test
  void aRequestAfterARefusedOneGetsAFreshConnection() {
    try (RawHttp http = new RawHttp(registry.server().apiPort())) {
      assertThat(http.send(req("DELETE", "/v1/namespaces/hr/services/s1/endpoints/%2e%2e", "", null)).read().status())
          .isEqualTo(400);
      assertThat(http.closedWithin(5_000)).as("a refused request's connection is closed").isTrue();
    }
    assertThat(registry.admin().get("/v1/namespaces/hr/services/s1").status()).as("s1 survived").isEqualTo(200);
  }
}
