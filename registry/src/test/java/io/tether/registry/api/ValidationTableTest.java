package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad request the API must refuse: the status, error code and field it answers with, and that
 * etcd holds exactly what it held before (same keys, values and mod revisions).
 */
class ValidationTableTest {
  private static final String NS = "/v1/namespaces/vt";
  private static final String SVC = NS + "/services";
  private static final String EP = SVC + "/svc/endpoints";
  private static final String LABEL_64 = "a".repeat(64);
  private static final String OK_ALIASES = "\"clientAliases\":[{\"dnsName\":\"fresh\",\"port\":8080}]";

  private static TestRegistry registry;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    api = registry.admin();
    api.put(NS, "{\"description\":\"validation table\"}").expect(201);
    api.put(SVC + "/owner",
        "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"taken\",\"port\":8080}]}").expect(201);
    api.put(SVC + "/svc",
        "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"svc\",\"port\":80}]}").expect(201);
    api.put(EP + "/ep1", "{\"address\":\"10.0.0.1\",\"port\":15000}").expect(201);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  /** One bad request and the answer it must get; {@code field} null means the error names no field. */
  record Row(String method, String path, String body, List<String> headers, int status, String code, String field) {}

  private static Arguments row(String description, String method, String path, String body,
      int status, String code, String field, String... headers) {
    return Arguments.of(Named.of(description, new Row(method, path, body, List.of(headers), status, code, field)));
  }

  private static Arguments bad(String description, String method, String path, String body, String field,
      String... headers) {
    return row(description, method, path, body, 400, "INVALID_ARGUMENT", field, headers);
  }

  private static String service(String fields) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\"," + OK_ALIASES + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  static Stream<Arguments> badRequests() {
    List<Arguments> rows = new ArrayList<>();
    // ---- names in the path ----
    rows.add(bad("namespace name with upper case", "PUT", "/v1/namespaces/Prod", "{}", "name"));
    rows.add(bad("namespace name with underscore", "PUT", "/v1/namespaces/my_ns", "{}", "name"));
    rows.add(bad("namespace name of 64 characters", "PUT", "/v1/namespaces/" + LABEL_64, "{}", "name"));
    rows.add(bad("namespace name with leading '-'", "PUT", "/v1/namespaces/-prod", "{}", "name"));
    rows.add(bad("namespace name with trailing '-'", "PUT", "/v1/namespaces/prod-", "{}", "name"));
    rows.add(bad("service name with upper case", "PUT", SVC + "/Payments", service(""), "discoveryName"));
    rows.add(bad("service name with underscore", "PUT", SVC + "/pay_ments", service(""), "discoveryName"));
    rows.add(bad("service name of 64 characters", "PUT", SVC + "/" + LABEL_64, service(""), "discoveryName"));
    rows.add(bad("service name with leading '-'", "PUT", SVC + "/-payments", service(""), "discoveryName"));
    rows.add(bad("service under an invalid namespace name", "PUT", "/v1/namespaces/Bad/services/payments",
        service(""), "namespace"));
    // ---- names in the body ----
    rows.add(bad("namespace name in body differs from path", "PUT", NS, "{\"name\":\"other\"}", "name"));
    rows.add(bad("discoveryName in body differs from path", "PUT", SVC + "/s1",
        "{\"discoveryName\":\"other\",\"portName\":\"http\"," + OK_ALIASES + "}", "discoveryName"));
    rows.add(bad("missing portName", "PUT", SVC + "/s1", "{\"appProtocol\":\"http\"," + OK_ALIASES + "}", "portName"));
    rows.add(bad("portName with upper case", "PUT", SVC + "/s1", "{\"portName\":\"HTTP\"}", "portName"));
    rows.add(bad("alias dnsName with underscore", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"pay_ments\",\"port\":80}]}", "clientAliases[0].dnsName"));
    // ---- ports ----
    rows.add(bad("client alias port 0", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":0}]}", "clientAliases[0].port"));
    rows.add(bad("client alias port 65536", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80},{\"dnsName\":\"s1\",\"port\":65536}]}",
        "clientAliases[1].port"));
    rows.add(bad("client alias null", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80},null]}", "clientAliases[1]"));
    rows.add(bad("client alias without port", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\"}]}", "clientAliases[0].port"));
    rows.add(bad("ingressPortOverride 0", "PUT", SVC + "/s1", service("\"ingressPortOverride\":0"), "ingressPortOverride"));
    rows.add(bad("endpoint port 0", "PUT", EP + "/t1", "{\"address\":\"10.0.0.2\",\"port\":0}", "port"));
    rows.add(bad("endpoint port 65536", "PUT", EP + "/t1", "{\"address\":\"10.0.0.2\",\"port\":65536}", "port"));
    rows.add(bad("endpoint without port", "PUT", EP + "/t1", "{\"address\":\"10.0.0.2\"}", "port"));
    rows.add(bad("endpoint metadata value null", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"metadata\":{\"a\":null}}", "metadata.a"));
    rows.add(bad("endpoint body an array", "PUT", EP + "/t1", "[1]", ""));
    // ---- client alias uniqueness ----
    rows.add(bad("duplicate client alias within the spec", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80},{\"dnsName\":\"s1\",\"port\":80}]}",
        "clientAliases[1]"));
    rows.add(bad("two client aliases on one port (they share the VIP, Envoy cannot bind both)", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80},{\"dnsName\":\"s1-twin\",\"port\":80}]}",
        "clientAliases[1].port"));
    rows.add(bad("a new alias on the port of the service's existing alias", "PUT", SVC + "/svc",
        "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"svc\",\"port\":80},"
            + "{\"dnsName\":\"svc-twin\",\"port\":80}]}",
        "clientAliases[1].port"));
    rows.add(row("alias already used by another service", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"taken\",\"port\":8080}]}",
        409, "ALREADY_EXISTS", "clientAliases[0]"));
    rows.add(row("second alias already used by another service", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80},{\"dnsName\":\"taken\",\"port\":8080}]}",
        409, "ALREADY_EXISTS", "clientAliases[1]"));
    rows.add(row("dnsName owned by another service on another port", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"taken\",\"port\":9090}]}",
        409, "ALREADY_EXISTS", "clientAliases[0].dnsName"));
    // ---- enums and policy ranges ----
    rows.add(bad("unknown appProtocol", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"appProtocol\":\"smtp\"}", "appProtocol"));
    rows.add(bad("appProtocol in upper case", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"appProtocol\":\"HTTP\"}", "appProtocol"));
    rows.add(bad("unknown loadBalancing", "PUT", SVC + "/s1", service("\"loadBalancing\":\"FASTEST\""), "loadBalancing"));
    rows.add(bad("unknown tls.mode", "PUT", SVC + "/s1", service("\"tls\":{\"mode\":\"MUTUAL\"}"), "tls.mode"));
    rows.add(bad("zoneAware not an object", "PUT", SVC + "/s1", service("\"zoneAware\":true"), "zoneAware"));
    rows.add(bad("zoneAware.enabled not a boolean", "PUT", SVC + "/s1",
        service("\"zoneAware\":{\"enabled\":\"yes\"}"), "zoneAware.enabled"));
    rows.add(bad("unknown field in zoneAware", "PUT", SVC + "/s1", service("\"zoneAware\":{\"on\":true}"),
        "zoneAware.on"));
    rows.add(bad("tls.mode in lower case", "PUT", SVC + "/s1", service("\"tls\":{\"mode\":\"strict\"}"), "tls.mode"));
    rows.add(bad("tls.mode not a string", "PUT", SVC + "/s1", service("\"tls\":{\"mode\":1}"), "tls.mode"));
    rows.add(bad("tls not an object", "PUT", SVC + "/s1", service("\"tls\":\"STRICT\""), "tls"));
    rows.add(bad("unknown field in tls", "PUT", SVC + "/s1", service("\"tls\":{\"mod\":\"STRICT\"}"), "tls.mod"));
    rows.add(bad("negative perRequestTimeoutSeconds", "PUT", SVC + "/s1",
        service("\"timeout\":{\"perRequestTimeoutSeconds\":-1}"), "timeout.perRequestTimeoutSeconds"));
    rows.add(bad("negative idleTimeoutSeconds", "PUT", SVC + "/s1",
        service("\"timeout\":{\"idleTimeoutSeconds\":-300}"), "timeout.idleTimeoutSeconds"));
    rows.add(bad("numRetries 11", "PUT", SVC + "/s1", service("\"retryPolicy\":{\"numRetries\":11}"), "retryPolicy.numRetries"));
    rows.add(bad("numRetries -1", "PUT", SVC + "/s1", service("\"retryPolicy\":{\"numRetries\":-1}"), "retryPolicy.numRetries"));
    rows.add(bad("retryOn condition null", "PUT", SVC + "/s1",
        service("\"retryPolicy\":{\"retryOn\":[\"5xx\",null]}"), "retryPolicy.retryOn[1]"));
    rows.add(bad("unknown retryOn condition", "PUT", SVC + "/s1",
        service("\"retryPolicy\":{\"retryOn\":[\"sometimes\",\"5xx\"]}"), "retryPolicy.retryOn[0]"));
    rows.add(bad("retryOn status code outside 4xx/5xx", "PUT", SVC + "/s1",
        service("\"retryPolicy\":{\"retryOn\":[\"503\",\"200\"]}"), "retryPolicy.retryOn[1]"));
    rows.add(bad("maxEjectionPercent 101", "PUT", SVC + "/s1",
        service("\"outlierDetection\":{\"maxEjectionPercent\":101}"), "outlierDetection.maxEjectionPercent"));
    rows.add(bad("circuit breaker maxConnections 0", "PUT", SVC + "/s1",
        service("\"circuitBreakers\":{\"maxConnections\":0}"), "circuitBreakers.maxConnections"));
    rows.add(bad("health check timeout longer than interval", "PUT", SVC + "/s1",
        service("\"healthCheck\":{\"intervalSeconds\":5,\"timeoutSeconds\":6}"), "healthCheck.timeoutSeconds"));
    rows.add(bad("health check path without leading slash", "PUT", SVC + "/s1",
        service("\"healthCheck\":{\"path\":\"healthz\"}"), "healthCheck.path"));
    // ---- routes ----
    String route = "{\"name\":\"r\",\"match\":{\"path\":{\"prefix\":\"/a/\"}},\"to\":[{\"service\":\"owner\"}]}";
    rows.add(bad("route with an empty match", "PUT", SVC + "/s1",
        service("\"routes\":[" + route.replace("{\"path\":{\"prefix\":\"/a/\"}}", "{}") + "]"), "routes[0].match"));
    rows.add(bad("route weights short of 100", "PUT", SVC + "/s1",
        service("\"routes\":[" + route.replace("{\"service\":\"owner\"}", "{\"service\":\"owner\",\"weight\":50},{\"weight\":40}")
            + "]"), "routes[0].to"));
    rows.add(bad("route regex that is not RE2", "PUT", SVC + "/s1",
        service("\"routes\":[" + route.replace("\"prefix\":\"/a/\"", "\"regex\":\"(\"") + "]"), "routes[0].match.path.regex"));
    rows.add(bad("routes on a tcp service", "PUT", SVC + "/s1",
        "{\"portName\":\"pg\",\"appProtocol\":\"tcp\",\"routes\":[" + route + "]}", "routes"));
    rows.add(row("route to a service that does not exist", "PUT", SVC + "/s1",
        service("\"routes\":[" + route.replace("owner", "nobody") + "]"), 409, "FAILED_PRECONDITION",
        "routes[0].to[0].service"));
    // ---- canaries ----
    String subsets = "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"version\":\"v1\"}}]";
    rows.add(bad("split to a subset the service lacks", "PUT", SVC + "/s1",
        service(subsets + ",\"split\":[{\"subset\":\"v1\",\"weight\":90},{\"subset\":\"v2\",\"weight\":10}]"),
        "split[1].subset"));
    rows.add(bad("subset without labels", "PUT", SVC + "/s1", service("\"subsets\":[{\"name\":\"v1\"}]"),
        "subsets[0].labels"));
    rows.add(bad("test traffic header matched by regex", "PUT", SVC + "/s1", service(subsets
        + ",\"testTraffic\":[{\"name\":\"c\",\"header\":{\"name\":\"x-canary\",\"regex\":\"t.*\"},"
        + "\"to\":[{\"subset\":\"v1\"}]}]"), "testTraffic[0].header"));
    rows.add(row("split to a subset another service lacks", "PUT", SVC + "/s1",
        service("\"split\":[{\"service\":\"owner\",\"subset\":\"v9\"}]"), 409, "FAILED_PRECONDITION",
        "split[0].subset"));
    rows.add(bad("endpoint label under tether.io/", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"labels\":{\"tether.io/v\":\"1\"}}", "labels.tether.io/v"));
    rows.add(bad("endpoint label value with a space", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"labels\":{\"version\":\"v 2\"}}", "labels.version"));
    // ---- exports and imports ----
    rows.add(bad("exports not a list", "PUT", SVC + "/s1", service("\"exports\":\"dev\""), "exports"));
    rows.add(bad("exports listing a namespace twice", "PUT", SVC + "/s1", service("\"exports\":[\"dev\",\"dev\"]"),
        "exports[1]"));
    rows.add(bad("importFrom not an object", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"importFrom\":\"prod/payments\"}", "importFrom"));
    rows.add(bad("unknown field in importFrom", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"importFrom\":{\"namespace\":\"x\",\"service\":\"y\",\"svc\":\"y\"}}",
        "importFrom.svc"));
    rows.add(bad("an import with a protocol", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"appProtocol\":\"http\",\"importFrom\":{\"namespace\":\"x\",\"service\":\"y\"}}",
        "appProtocol"));
    rows.add(bad("authorization from with two slashes", "PUT", "/v1/namespaces/vt/authorizations/r1",
        "{\"from\":\"a/b/c\",\"to\":\"owner\"}", "from"));
    // ---- hashOn ----
    rows.add(bad("hashOn with two keys", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user-id\",\"cookie\":\"session\"}"), "hashOn"));
    rows.add(bad("hashOn with no key", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{}"), "hashOn"));
    rows.add(bad("hashOn sourceIp false is no key", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"sourceIp\":false}"), "hashOn"));
    rows.add(bad("hashOn without loadBalancing", "PUT", SVC + "/s1",
        service("\"hashOn\":{\"header\":\"x-user-id\"}"), "hashOn"));
    rows.add(bad("hashOn with ROUND_ROBIN", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"ROUND_ROBIN\",\"hashOn\":{\"sourceIp\":true}"), "hashOn"));
    rows.add(bad("hashOn header in upper case", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"X-User-Id\"}"), "hashOn.header"));
    rows.add(bad("hashOn header with a space", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x user\"}"), "hashOn.header"));
    rows.add(bad("hashOn header that is a pseudo-header", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\":authority\"}"), "hashOn.header"));
    rows.add(bad("hashOn header empty", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"\"}"), "hashOn.header"));
    rows.add(bad("hashOn cookie with '='", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"a=b\"}"), "hashOn.cookie"));
    rows.add(bad("hashOn cookie with ';'", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"s;id\"}"), "hashOn.cookie"));
    rows.add(bad("hashOn header for a tcp service", "PUT", SVC + "/s1",
        "{\"portName\":\"pg\",\"appProtocol\":\"tcp\"," + OK_ALIASES
            + ",\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user-id\"}}", "hashOn.header"));
    rows.add(bad("hashOn cookie for a service without appProtocol (tcp)", "PUT", SVC + "/s1",
        "{\"portName\":\"pg\"," + OK_ALIASES
            + ",\"loadBalancing\":\"MAGLEV\",\"hashOn\":{\"cookie\":\"session\"}}", "hashOn.cookie"));
    rows.add(bad("hashOn with an unknown key", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"query\":\"user\"}"), "hashOn.query"));
    rows.add(bad("hashOn sourceIp as a string", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"sourceIp\":\"yes\"}"), "hashOn.sourceIp"));
    rows.add(bad("hashOn as a string", "PUT", SVC + "/s1",
        service("\"loadBalancing\":\"RING_HASH\",\"hashOn\":\"x-user-id\""), "hashOn"));
    // ---- JSON types ----
    rows.add(bad("string for a port", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":\"8080\"}]}", "clientAliases[0].port"));
    rows.add(bad("fraction for a port", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80.5}]}", "clientAliases[0].port"));
    rows.add(bad("number for portName", "PUT", SVC + "/s1", "{\"portName\":80}", "portName"));
    rows.add(bad("object for clientAliases", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":{\"dnsName\":\"s1\",\"port\":80}}", "clientAliases"));
    rows.add(bad("boolean for numRetries", "PUT", SVC + "/s1",
        service("\"retryPolicy\":{\"numRetries\":true}"), "retryPolicy.numRetries"));
    rows.add(bad("string for a timeout", "PUT", SVC + "/s1",
        service("\"timeout\":{\"idleTimeoutSeconds\":\"300\"}"), "timeout.idleTimeoutSeconds"));
    // ---- unknown fields, duplicate keys, broken JSON ----
    rows.add(bad("unknown top-level field", "PUT", SVC + "/s1", service("\"colour\":\"blue\""), "colour"));
    rows.add(bad("unknown nested field", "PUT", SVC + "/s1",
        service("\"timeout\":{\"perRequestTimeoutSecs\":5}"), "timeout.perRequestTimeoutSecs"));
    rows.add(bad("unknown field in a client alias", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80,\"vip\":\"127.0.0.1\"}]}",
        "clientAliases[0].vip"));
    rows.add(bad("duplicate top-level key", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"portName\":\"grpc\"}", "portName"));
    rows.add(bad("duplicate nested key", "PUT", SVC + "/s1",
        service("\"timeout\":{\"idleTimeoutSeconds\":1,\"idleTimeoutSeconds\":2}"), "timeout.idleTimeoutSeconds"));
    rows.add(bad("duplicate key in an array element", "PUT", SVC + "/s1",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s1\",\"port\":80},"
            + "{\"dnsName\":\"s1\",\"port\":81,\"port\":82}]}", "clientAliases[1].port"));
    rows.add(bad("trailing garbage after the object", "PUT", SVC + "/s1", service("") + " trailing", ""));
    rows.add(bad("a second JSON value after the object", "PUT", SVC + "/s1", service("") + "{}", ""));
    rows.add(bad("malformed JSON", "PUT", SVC + "/s1", "{\"portName\": \"http\",", ""));
    rows.add(bad("JSON array instead of an object", "PUT", NS, "[]", ""));
    rows.add(bad("JSON null body", "PUT", NS, "null", ""));
    rows.add(bad("empty body", "PUT", SVC + "/s1", "", ""));
    rows.add(row("body over 64 KiB", "PUT", "/v1/namespaces/big",
        "{\"description\":\"" + "x".repeat(64 * 1024) + "\"}", 413, "PAYLOAD_TOO_LARGE", null));
    rows.add(bad("description over 256 characters", "PUT", NS, "{\"description\":\"" + "x".repeat(257) + "\"}",
        "description"));
    // ---- endpoints ----
    rows.add(bad("endpoint address out of range", "PUT", EP + "/t1", "{\"address\":\"10.0.0.300\",\"port\":15000}", "address"));
    rows.add(bad("endpoint address that is a host name", "PUT", EP + "/t1",
        "{\"address\":\"db.example.com\",\"port\":15000}", "address"));
    rows.add(bad("endpoint without address", "PUT", EP + "/t1", "{\"port\":15000}", "address"));
    rows.add(bad("endpoint id with leading '-'", "PUT", EP + "/-t1", "{\"address\":\"10.0.0.2\",\"port\":15000}", "endpointId"));
    rows.add(bad("endpoint id with '!'", "PUT", EP + "/t!1", "{\"address\":\"10.0.0.2\",\"port\":15000}", "endpointId"));
    rows.add(bad("endpoint id of 129 characters", "PUT", EP + "/" + "e".repeat(129),
        "{\"address\":\"10.0.0.2\",\"port\":15000}", "endpointId"));
    rows.add(bad("unknown endpoint health", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"health\":\"SICK\"}", "health"));
    rows.add(bad("endpoint zone with upper case", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"zone\":\"Zone-A\"}", "zone"));
    rows.add(bad("endpoint leaseId 0", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"leaseId\":0}", "leaseId"));
    rows.add(row("endpoint under a lease that does not exist", "PUT", EP + "/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000,\"leaseId\":123456789}", 404, "NOT_FOUND", "leaseId"));
    rows.add(bad("invalid value on PUT .../health", "PUT", EP + "/ep1/health", "{\"health\":\"SICK\"}", "health"));
    rows.add(bad("lower-case value on PUT .../health", "PUT", EP + "/ep1/health", "{\"health\":\"draining\"}", "health"));
    rows.add(bad("missing health on PUT .../health", "PUT", EP + "/ep1/health", "{}", "health"));
    rows.add(bad("unknown field on PUT .../health", "PUT", EP + "/ep1/health",
        "{\"health\":\"DRAINING\",\"reason\":\"deploy\"}", "reason"));
    rows.add(row("health of an endpoint that does not exist", "PUT", EP + "/nope/health", "{\"health\":\"DRAINING\"}",
        404, "NOT_FOUND", null));
    // ---- preconditions ----
    rows.add(bad("If-Match that is not an ETag", "PUT", SVC + "/svc", service(""), "If-Match", "If-Match", "\"abc\""));
    rows.add(bad("If-Match with revision 0", "DELETE", SVC + "/svc", null, "If-Match", "If-Match", "\"0\""));
    rows.add(bad("If-Match with a sign", "DELETE", SVC + "/svc", null, "If-Match", "If-Match", "+1"));
    rows.add(bad("effective neither true nor false", "GET", SVC + "/svc?effective=yes", null, "effective"));
    rows.add(bad("If-Match and If-None-Match together", "PUT", NS, "{}", "If-Match",
        "If-Match", "\"1\"", "If-None-Match", "*"));
    rows.add(bad("If-None-Match other than *", "PUT", NS, "{}", "If-None-Match", "If-None-Match", "\"5\""));
    // ---- missing parents ----
    rows.add(row("service in a missing namespace", "PUT", "/v1/namespaces/missing/services/s1", service(""),
        404, "NOT_FOUND", null));
    rows.add(row("endpoint for a missing service", "PUT", SVC + "/missing/endpoints/t1",
        "{\"address\":\"10.0.0.2\",\"port\":15000}", 404, "NOT_FOUND", null));
    rows.add(row("delete of a missing service", "DELETE", SVC + "/missing", null, 404, "NOT_FOUND", null));
    // ---- leases ----
    rows.add(bad("lease ttlSeconds 0", "POST", "/v1/leases", "{\"ttlSeconds\":0,\"namespace\":\"vt\"}", "ttlSeconds"));
    rows.add(bad("lease ttlSeconds 100000", "POST", "/v1/leases", "{\"ttlSeconds\":100000,\"namespace\":\"vt\"}", "ttlSeconds"));
    rows.add(bad("lease without namespace", "POST", "/v1/leases", "{\"ttlSeconds\":10}", "namespace"));
    rows.add(row("lease in a missing namespace", "POST", "/v1/leases", "{\"ttlSeconds\":10,\"namespace\":\"missing\"}",
        404, "NOT_FOUND", null));
    rows.add(bad("keepalive of a non-numeric lease id", "POST", "/v1/leases/abc/keepalive", null, "leaseId"));
    // ---- namespace defaults ----
    rows.add(bad("namespace default with negative idle timeout", "PUT", NS,
        "{\"defaults\":{\"timeout\":{\"idleTimeoutSeconds\":-1}}}", "defaults.timeout.idleTimeoutSeconds"));
    rows.add(bad("namespace default with unknown retryOn", "PUT", NS,
        "{\"defaults\":{\"retryPolicy\":{\"retryOn\":[\"always\"]}}}", "defaults.retryPolicy.retryOn[0]"));
    rows.add(bad("namespace default with unknown loadBalancing", "PUT", NS,
        "{\"defaults\":{\"loadBalancing\":\"BEST\"}}", "defaults.loadBalancing"));
    rows.add(bad("namespace default zoneAware.enabled not a boolean", "PUT", NS,
        "{\"defaults\":{\"zoneAware\":{\"enabled\":1}}}", "defaults.zoneAware.enabled"));
    rows.add(bad("namespace default with unknown tls.mode", "PUT", NS,
        "{\"defaults\":{\"tls\":{\"mode\":\"ON\"}}}", "defaults.tls.mode"));
    rows.add(bad("namespace default with unknown field", "PUT", NS,
        "{\"defaults\":{\"timeout\":{\"idle\":5}}}", "defaults.timeout.idle"));
    rows.add(bad("namespace default hashOn without a hashing loadBalancing", "PUT", NS,
        "{\"defaults\":{\"hashOn\":{\"header\":\"x-user-id\"}}}", "defaults.hashOn"));
    rows.add(bad("namespace default hashOn with an invalid cookie", "PUT", NS,
        "{\"defaults\":{\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"cookie\":\"a b\"}}}", "defaults.hashOn.cookie"));
    // ---- namespace tracing ----
    rows.add(bad("tracing collector without a port", "PUT", NS,
        "{\"tracing\":{\"collector\":\"10.0.9.4\"}}", "tracing.collector"));
    rows.add(bad("tracing collector as a URL", "PUT", NS,
        "{\"tracing\":{\"collector\":\"http://otel:4317\"}}", "tracing.collector"));
    rows.add(bad("tracing without a collector", "PUT", NS, "{\"tracing\":{\"samplingPercent\":5}}",
        "tracing.collector"));
    rows.add(bad("tracing samplingPercent 150", "PUT", NS,
        "{\"tracing\":{\"collector\":\"otel:4317\",\"samplingPercent\":150}}", "tracing.samplingPercent"));
    rows.add(bad("tracing samplingPercent as a string", "PUT", NS,
        "{\"tracing\":{\"collector\":\"otel:4317\",\"samplingPercent\":\"5\"}}", "tracing.samplingPercent"));
    rows.add(bad("tracing with an unknown field", "PUT", NS,
        "{\"tracing\":{\"collector\":\"otel:4317\",\"tls\":true}}", "tracing.tls"));
    rows.add(bad("namespace effective neither true nor false", "GET", NS + "?effective=1", null, "effective"));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestIsRejectedWithItsFieldAndEtcdIsUnchanged(Row row) {
    Map<String, String> before = registry.etcdContents();

    ApiClient.Response r = api.send(row.method(), row.path(), row.body(), row.headers().toArray(String[]::new));

    assertThat(r.status()).as("status of %s", r).isEqualTo(row.status());
    assertThat(r.errorCode()).as("error code of %s", r).isEqualTo(row.code());
    assertThat(r.errorField()).as("error field of %s", r).isEqualTo(row.field());
    assertThat(r.body().path("error").path("message").asText()).as("message of %s", r).isNotBlank();
    assertThat(registry.etcdContents()).as("etcd after %s", r).isEqualTo(before);
  }
}
