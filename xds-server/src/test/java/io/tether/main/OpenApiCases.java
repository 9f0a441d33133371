package io.tether.main;

import static io.tether.main.ServedApi.ADMIN;
import static io.tether.main.ServedApi.AGENT;
import static io.tether.main.ServedApi.READER;

import java.util.ArrayList;
import java.util.List;

/**
 * A handful of real requests per route, in order (later ones rely on earlier writes): a success and
 * the refusals a client meets (bad parameter or body, no or too weak a token, missing resource,
 * conflict, failed precondition), each with the status the server must answer. A route added to the
 * router gets its cases here, next to its area.
 */
final class OpenApiCases {
  private static final String NS = "/v1/namespaces/{ns}";
  private static final String SVC = NS + "/services/{svc}";
  private static final String EPS = SVC + "/endpoints";
  private static final String EP = EPS + "/{id}";
  private static final String SPEC = "{\"portName\": \"http\", \"appProtocol\": \"http\", "
      + "\"clientAliases\": [{\"dnsName\": \"api\", \"port\": 9090}]}";

  private final ServedApi api;
  private final List<Case> cases = new ArrayList<>();

  record Case(String method, String documented, String path, String token, String body, int expected,
      String... headers) {
    @Override
    public String toString() {
      return method + " " + path + (headers.length > 0 ? " " + String.join(": ", headers) : "")
          + (token == null ? " (no token)" : "") + " -> " + expected;
    }
  }

  OpenApiCases(ServedApi api) {
    this.api = api;
  }

  List<Case> all() {
    probes();
    namespaces();
    services();
    endpoints();
    endpointBatches();
    drains();
    authorizations();
    leases();
    tokens();
    proxies();
    mesh();
    identities();
    console();
    return cases;
  }

  private void add(String method, String documented, String path, String token, String body, int expected,
      String... headers) {
    cases.add(new Case(method, documented, path, token, body, expected, headers));
  }

  private void probes() {
    for (String probe : List.of("/healthz", "/readyz", "/metrics", "/openapi.yaml", "/openapi.json")) {
      add("GET", probe, probe, null, null, 200);
    }
    add("GET", "/", "/", null, null, 200);
    add("GET", "/", "/", null, null, 302, "Accept", "text/html,application/xhtml+xml");
  }

  private void namespaces() {
    add("GET", "/v1/namespaces", "/v1/namespaces", READER, null, 200);
    add("GET", "/v1/namespaces", "/v1/namespaces", null, null, 401);
    add("GET", "/v1/namespaces", "/v1/namespaces", "not-a-token-of-this-server", null, 401);
    add("GET", "/v1/namespaces", "/v1/namespaces", AGENT, null, 403);
    add("GET", NS, "/v1/namespaces/oa", AGENT, null, 200);
    add("GET", NS, "/v1/namespaces/Not_A_Label", ADMIN, null, 400);
    add("GET", NS, "/v1/namespaces/nowhere", ADMIN, null, 404);
    add("GET", NS, "/v1/namespaces/nowhere", AGENT, null, 403);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"defaults\": {\"timeout\": {\"perRequestTimeoutSeconds\": 5}}}", 201);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"description\": \"second\"}", 200);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"tracing\": {\"collector\": \"10.0.9.4:4317\", \"samplingPercent\": 10}}", 200);
    add("GET", NS, "/v1/namespaces/oa2?effective=true", ADMIN, null, 200);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"tracing\": {\"collector\": \"otel\"}}", 400);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"description\": \"second\"}", 200);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"unknown\": 1}", 400);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, null, 400);
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{}", 412, "If-None-Match", "*");
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{}", 412, "If-Match", "\"1\"");
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{}", 400, "If-Match", "yesterday");
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{}", 412, "If-Match", "1");
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{}", 400, "If-Match", "+1");
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{}", 415, "Content-Encoding", "gzip");
    add("PUT", NS, "/v1/namespaces/oa2", ADMIN, "{\"description\": \"" + "x".repeat(70_000) + "\"}", 413);
    add("PUT", NS, "/v1/namespaces/oa2", READER, "{}", 403);
    add("DELETE", NS, "/v1/namespaces/oa", ADMIN, null, 409);
    add("DELETE", NS, "/v1/namespaces/oa2", ADMIN, null, 412, "If-Match", "\"1\"");
    add("DELETE", NS, "/v1/namespaces/oa2", ADMIN, null, 204);
    add("DELETE", NS, "/v1/namespaces/oa2", ADMIN, null, 404);
    add("DELETE", NS, "/v1/namespaces/oa2", AGENT, null, 403);
  }

  private void services() {
    add("GET", NS + "/services", "/v1/namespaces/oa/services", AGENT, null, 200);
    add("GET", NS + "/services", "/v1/namespaces/nowhere/services", ADMIN, null, 404);
    add("GET", NS + "/services", "/v1/namespaces/-bad-/services", ADMIN, null, 400);
    add("GET", SVC, ServedApi.servicePath(), READER, null, 200);
    add("GET", SVC, ServedApi.servicePath() + "?effective=true", READER, null, 200);
    add("GET", SVC, ServedApi.servicePath() + "?effective=yes", READER, null, 400);
    add("GET", SVC, "/v1/namespaces/oa/services/nothing", READER, null, 404);
    add("GET", SVC, "/v1/namespaces/oa/services/UPPER", READER, null, 400);
    add("PUT", SVC, "/v1/namespaces/oa/services/api", ADMIN, SPEC, 201);
    add("PUT", SVC, "/v1/namespaces/oa/services/api", ADMIN, SPEC, 200);
    add("PUT", SVC, "/v1/namespaces/oa/services/api2", ADMIN, SPEC, 409);
    add("PUT", SVC, "/v1/namespaces/oa/services/api", ADMIN, "{\"portName\": \"http\", \"timeout\": 5}", 400);
    add("PUT", SVC, "/v1/namespaces/nowhere/services/api", ADMIN, SPEC, 404);
    add("PUT", SVC, "/v1/namespaces/oa/services/api", AGENT, SPEC, 403);
    add("PUT", SVC, "/v1/namespaces/oa/services/api", ADMIN, SPEC, 412, "If-None-Match", "*");
    String routed = "{\"portName\": \"http\", \"appProtocol\": \"http\", \"routes\": [{\"name\": \"v2\", "
        + "\"match\": {\"path\": {\"prefix\": \"/v2/\"}, \"headers\": [{\"name\": \"x-tenant\", \"exact\": \"a\"}]}, "
        + "\"to\": [{\"service\": \"api\", \"weight\": 90}, {\"weight\": 10}], \"timeout\": {\"perRequestTimeoutSeconds\": 3}}]}";
    add("PUT", SVC, "/v1/namespaces/oa/services/routed", ADMIN, routed.replace("\"api\"", "\"nothing\""), 409);
    add("PUT", SVC, "/v1/namespaces/oa/services/routed", ADMIN, routed.replace("90", "95"), 400);
    add("PUT", SVC, "/v1/namespaces/oa/services/routed", ADMIN, routed, 201);
    add("GET", SVC, "/v1/namespaces/oa/services/routed?effective=true", READER, null, 200);
    String zoned = "{\"portName\": \"http\", \"appProtocol\": \"http\", \"zoneAware\": {\"enabled\": true}}";
    add("PUT", SVC, "/v1/namespaces/oa/services/zoned", ADMIN, zoned.replace("true", "\"yes\""), 400);
    add("PUT", SVC, "/v1/namespaces/oa/services/zoned", ADMIN, zoned, 201);
    add("GET", SVC, "/v1/namespaces/oa/services/zoned?effective=true", READER, null, 200);
    add("DELETE", SVC, "/v1/namespaces/oa/services/zoned", ADMIN, null, 204);
    exportsAndImports();
    add("DELETE", SVC, "/v1/namespaces/oa/services/api", ADMIN, null, 409);
    add("DELETE", SVC, "/v1/namespaces/oa/services/routed", ADMIN, null, 204);
    add("DELETE", SVC, "/v1/namespaces/oa/services/api", ADMIN, null, 204);
    add("DELETE", SVC, "/v1/namespaces/oa/services/api", ADMIN, null, 404);
  }

  /** An exporter in oa, its import in oa3 (ACTIVE), their effective views, and the 400 and 409 of an import. */
  private void exportsAndImports() {
    String exporter = "{\"portName\": \"http\", \"appProtocol\": \"http\", \"exports\": [\"oa3\"]}";
    String imported = "{\"portName\": \"http\", \"clientAliases\": [{\"dnsName\": \"pay\", \"port\": 9091}], "
        + "\"importFrom\": {\"namespace\": \"oa\", \"service\": \"exported\"}}";
    add("PUT", NS, "/v1/namespaces/oa3", ADMIN, "{}", 201);
    add("PUT", SVC, "/v1/namespaces/oa/services/exported", ADMIN, exporter.replace("oa3", "oa"), 400);
    add("PUT", SVC, "/v1/namespaces/oa/services/exported", ADMIN, exporter, 201);
    add("PUT", SVC, "/v1/namespaces/oa3/services/pay", ADMIN, imported.replace("}}", "}, \"split\": [{\"weight\": 100}]}"), 400);
    add("PUT", SVC, "/v1/namespaces/oa3/services/pay", ADMIN, imported, 201);
    add("GET", SVC, "/v1/namespaces/oa3/services/pay?effective=true", READER, null, 200);
    add("GET", SVC, "/v1/namespaces/oa/services/exported?effective=true", READER, null, 200);
    add("GET", NS + "/services", "/v1/namespaces/oa3/services", READER, null, 200);
    add("PUT", EP, "/v1/namespaces/oa3/services/pay/endpoints/t1", ADMIN, "{\"address\": \"10.0.0.9\", \"port\": 80}", 409);
    add("DELETE", SVC, "/v1/namespaces/oa3/services/pay", ADMIN, null, 204);
    add("DELETE", NS, "/v1/namespaces/oa3", ADMIN, null, 204);
    add("DELETE", SVC, "/v1/namespaces/oa/services/exported", ADMIN, null, 204);
  }

  private void endpoints() {
    String ep2 = ServedApi.servicePath() + "/endpoints/task-2";
    String lease = "\"leaseId\": \"" + api.leaseId + "\"";
    add("GET", EPS, ServedApi.servicePath() + "/endpoints", AGENT, null, 200);
    add("GET", EPS, "/v1/namespaces/oa/services/nothing/endpoints", AGENT, null, 404);
    add("GET", EP, ServedApi.endpointPath(), AGENT, null, 200);
    add("GET", EP, ServedApi.servicePath() + "/endpoints/nobody", AGENT, null, 404);
    add("PUT", EP, ep2, AGENT, "{\"address\": \"10.0.3.8\", \"port\": 15000, " + lease + "}", 201);
    add("PUT", EP, ep2, ADMIN, "{\"address\": \"10.0.3.8\", \"port\": 15000, \"metadata\": {\"k\": \"v\"}}", 200);
    add("PUT", EP, ep2, AGENT, "{\"address\": \"10.0.3.8\", \"port\": 15000}", 400);
    add("PUT", EP, ep2, ADMIN, "{\"address\": \"fe80::1\", \"port\": 15000}", 400);
    add("PUT", EP, ServedApi.servicePath() + "/endpoints/-x-", ADMIN, "{\"address\": \"10.0.3.8\", \"port\": 1}", 400);
    add("PUT", EP, "/v1/namespaces/oa/services/nothing/endpoints/task-2", ADMIN,
        "{\"address\": \"10.0.3.8\", \"port\": 15000}", 404);
    add("PUT", EP, ep2, READER, "{\"address\": \"10.0.3.8\", \"port\": 15000}", 403);
    add("PUT", EP + "/health", ep2 + "/health", AGENT, "{\"health\": \"DRAINING\"}", 200);
    add("PUT", EP + "/health", ep2 + "/health", AGENT, "{\"health\": \"SLEEPY\"}", 400);
    add("PUT", EP + "/health", ep2 + "/health", AGENT, "{}", 400);
    add("PUT", EP + "/health", ServedApi.servicePath() + "/endpoints/nobody/health", AGENT,
        "{\"health\": \"HEALTHY\"}", 404);
    add("PUT", EP + "/health", ep2 + "/health", AGENT, "{\"health\": \"HEALTHY\"}", 412, "If-Match", "\"1\"");
    add("DELETE", EP, ep2, AGENT, null, 204);
    add("DELETE", EP, ep2, AGENT, null, 404);
  }

  private void authorizations() {
    String list = NS + "/authorizations";
    String one = list + "/{name}";
    String rules = "/v1/namespaces/oa/authorizations";
    String rule = "{\"from\": \"checkout\", \"to\": \"web\", \"http\": [{\"paths\": [\"/pay\"], \"methods\": [\"POST\"]}]}";
    add("GET", list, rules, READER, null, 200);
    add("GET", list, "/v1/namespaces/nowhere/authorizations", ADMIN, null, 404);
    add("GET", list, "/v1/namespaces/Bad/authorizations", ADMIN, null, 400);
    add("GET", list, rules, null, null, 401);
    add("PUT", one, rules + "/checkout-pays", ADMIN, rule, 201);
    add("PUT", one, rules + "/checkout-pays", ADMIN, rule, 200);
    add("PUT", one, rules + "/checkout-pays", ADMIN, rule, 412, "If-Match", "\"1\"");
    add("PUT", one, rules + "/checkout-pays", ADMIN, "{\"from\": \"*\", \"to\": \"web\", \"acton\": \"DENY\"}", 400);
    add("PUT", one, rules + "/Bad_Name", ADMIN, rule, 400);
    add("PUT", one, "/v1/namespaces/nowhere/authorizations/r", ADMIN, rule, 404);
    add("PUT", one, rules + "/checkout-pays", READER, rule, 403);
    add("PUT", one, rules + "/checkout-pays", AGENT, rule, 403);
    add("GET", one, rules + "/checkout-pays", READER, null, 200);
    add("GET", one, rules + "/nothing", READER, null, 404);
    add("DELETE", one, rules + "/checkout-pays", AGENT, null, 403);
    add("DELETE", one, rules + "/checkout-pays", ADMIN, null, 204);
    add("DELETE", one, rules + "/checkout-pays", ADMIN, null, 404);
  }

  private void endpointBatches() {
    String path = "/v1/namespaces/oa/endpoints";
    String entry = "{\"service\": \"" + ServedApi.SVC + "\", \"id\": \"task-3\", \"endpoint\": {\"address\": \"10.0.3.9\", "
        + "\"port\": 15000, \"leaseId\": \"" + api.leaseId + "\"}}";
    add("PUT", NS + "/endpoints", path, AGENT, "{\"endpoints\": [" + entry + "]}", 200);
    add("PUT", NS + "/endpoints", path, AGENT, "{\"endpoints\": []}", 400);
    add("PUT", NS + "/endpoints", path, AGENT, "{\"endpoints\": [" + entry.replace(ServedApi.SVC + "\"", "nothing\"") + "]}", 404);
    add("PUT", NS + "/endpoints", path, READER, "{\"endpoints\": [" + entry + "]}", 403);
    add("PUT", NS + "/endpoints", path, null, "{\"endpoints\": [" + entry + "]}", 401);
    add("DELETE", EP, ServedApi.servicePath() + "/endpoints/task-3", AGENT, null, 204);
  }

  private void drains() {
    String drain = ServedApi.endpointPath() + "/drain";
    add("PUT", EP + "/drain", drain, ADMIN, null, 200);
    add("PUT", EP + "/drain", drain, ADMIN, "{}", 200);
    add("GET", EP, ServedApi.endpointPath(), READER, null, 200);
    add("GET", EPS, ServedApi.servicePath() + "/endpoints", READER, null, 200);
    add("PUT", EP + "/drain", drain, ADMIN, "{\"reason\": \"patching\"}", 400);
    add("PUT", EP + "/drain", drain, ADMIN, "[1]", 400);
    add("PUT", EP + "/drain", drain, AGENT, null, 403);
    add("PUT", EP + "/drain", drain, READER, null, 403);
    add("PUT", EP + "/drain", ServedApi.servicePath() + "/endpoints/nobody/drain", ADMIN, null, 404);
    add("PUT", EP + "/drain", "/v1/namespaces/oa/services/nothing/endpoints/task-1/drain", ADMIN, null, 404);
    add("PUT", EP + "/drain", ServedApi.servicePath() + "/endpoints/-x-/drain", ADMIN, null, 400);
    add("DELETE", EP + "/drain", drain, AGENT, null, 403);
    add("DELETE", EP + "/drain", drain, ADMIN, null, 200);
    add("DELETE", EP + "/drain", ServedApi.servicePath() + "/endpoints/nobody/drain", ADMIN, null, 404);
    add("DELETE", EP + "/drain", "/v1/namespaces/Bad/services/web/endpoints/task-1/drain", ADMIN, null, 400);
  }

  private void leases() {
    add("GET", "/v1/leases", "/v1/leases", AGENT, null, 200);
    add("GET", "/v1/leases", "/v1/leases?namespace=oa", READER, null, 200);
    add("GET", "/v1/leases", "/v1/leases?namespace=Bad", ADMIN, null, 400);
    add("GET", "/v1/leases", "/v1/leases?namespace=elsewhere", AGENT, null, 403);
    add("GET", "/v1/leases", "/v1/leases", null, null, 401);
    add("POST", "/v1/leases", "/v1/leases", AGENT, "{\"namespace\": \"oa\"}", 201);
    add("POST", "/v1/leases", "/v1/leases", AGENT, "{\"namespace\": \"oa\", \"ttlSeconds\": 1}", 400);
    add("POST", "/v1/leases", "/v1/leases", AGENT, "{\"namespace\": \"elsewhere\"}", 403);
    add("POST", "/v1/leases", "/v1/leases", ADMIN, "{\"namespace\": \"nowhere\"}", 404);
    add("POST", "/v1/leases", "/v1/leases", READER, "{\"namespace\": \"oa\"}", 403);
    add("POST", "/v1/leases/{leaseId}/keepalive", "/v1/leases/" + api.leaseId + "/keepalive", AGENT, null, 200);
    add("POST", "/v1/leases/{leaseId}/keepalive", "/v1/leases/12ab/keepalive", AGENT, null, 400);
    add("POST", "/v1/leases/{leaseId}/keepalive", "/v1/leases/123456789/keepalive", AGENT, null, 404);
    add("DELETE", "/v1/leases/{leaseId}", "/v1/leases/" + api.spareLeaseId, AGENT, null, 204);
    add("POST", "/v1/leases/{leaseId}/keepalive", "/v1/leases/" + api.spareLeaseId + "/keepalive", AGENT, null, 404);
    add("DELETE", "/v1/leases/{leaseId}", "/v1/leases/123456789", ADMIN, null, 404);
    add("DELETE", "/v1/leases/{leaseId}", "/v1/leases/0", ADMIN, null, 400);
  }

  private void tokens() {
    String one = "/v1/tokens/{tokenId}";
    add("POST", "/v1/tokens", "/v1/tokens", ADMIN, "{\"role\": \"agent\", \"namespace\": \"oa\", \"ttlSeconds\": 3600}", 201);
    add("POST", "/v1/tokens", "/v1/tokens", ADMIN, "{\"role\": \"agent\"}", 400);
    add("POST", "/v1/tokens", "/v1/tokens", ADMIN, "{\"role\": \"reader\", \"nmae\": \"x\"}", 400);
    add("POST", "/v1/tokens", "/v1/tokens", READER, "{\"role\": \"reader\"}", 403);
    add("POST", "/v1/tokens", "/v1/tokens", null, "{\"role\": \"reader\"}", 401);
    add("GET", "/v1/tokens", "/v1/tokens", ADMIN, null, 200);
    add("GET", "/v1/tokens", "/v1/tokens", AGENT, null, 403);
    add("GET", one, "/v1/tokens/" + api.tokenId, ADMIN, null, 200);
    add("GET", one, "/v1/tokens/NOPE", ADMIN, null, 400);
    add("GET", one, "/v1/tokens/0123456789abcdef", ADMIN, null, 404);
    add("DELETE", one, "/v1/tokens/" + api.tokenId, ADMIN, null, 204);
    add("DELETE", one, "/v1/tokens/" + api.tokenId, ADMIN, null, 404);
    add("DELETE", one, "/v1/tokens/0123456789abcdef", READER, null, 403);
  }

  private void proxies() {
    add("GET", "/v1/proxies", "/v1/proxies", READER, null, 200);
    add("GET", "/v1/proxies", "/v1/proxies?namespace=Bad", ADMIN, null, 400);
    add("GET", "/v1/proxies", "/v1/proxies?namespace=elsewhere", AGENT, null, 403);
    add("GET", "/v1/proxies/{ns}/{nodeId}/config", "/v1/proxies/oa/nobody/config", ADMIN, null, 404);
    add("GET", "/v1/proxies/{ns}/{nodeId}/config", "/v1/proxies/elsewhere/nobody/config", AGENT, null, 403);
    add("GET", "/v1/proxies/{nodeId}/config", "/v1/proxies/nobody/config", ADMIN, null, 404);
    add("GET", "/v1/proxies/{nodeId}/config", "/v1/proxies/no%20body/config", ADMIN, null, 400);
    add("GET", "/v1/proxies", "/v1/proxies?scope=local", AGENT, null, 200);
    add("GET", "/v1/proxies", "/v1/proxies?scope=everywhere", ADMIN, null, 400);
    add("GET", "/v1/proxies/{ns}/{nodeId}/config", "/v1/proxies/oa/nobody/config?scope=local", ADMIN, null, 404);
    add("GET", "/v1/proxies/{ns}/{nodeId}/config", "/v1/proxies/oa/nobody/config?scope=all", ADMIN, null, 400);
    add("GET", "/v1/proxies/{nodeId}/config", "/v1/proxies/nobody/config?scope=local", ADMIN, null, 404);
  }

  private void mesh() {
    add("GET", "/v1/xds", "/v1/xds", AGENT, null, 200);
    add("GET", "/v1/xds", "/v1/xds", null, null, 401);
    add("GET", "/v1/status", "/v1/status", READER, null, 200);
    add("GET", "/v1/status", "/v1/status", ADMIN, null, 200);
    add("GET", "/v1/status", "/v1/status", AGENT, null, 403);
    add("GET", "/v1/status", "/v1/status", null, null, 401);
    // The stream itself is read by OpenApiConformanceTest.theWatchStreamsChangesAsDocumented.
    add("GET", "/v1/watch", "/v1/watch?namespace=Bad", ADMIN, null, 400);
    add("GET", "/v1/watch", "/v1/watch?namespace=elsewhere", AGENT, null, 403);
    add("GET", "/v1/watch", "/v1/watch", null, null, 401);
  }

  private void identities() {
    String doc = NS + "/identities/{name}/certificate";
    String path = "/v1/namespaces/oa/identities/checkout/certificate";
    String csr = io.tether.model.json.Json.writeString(java.util.Map.of("csr", csr()));
    add("POST", doc, path, AGENT, csr, 200);
    add("POST", doc, path, ADMIN, csr, 200);
    add("POST", doc, path, READER, csr, 403);
    add("POST", doc, "/v1/namespaces/elsewhere/identities/checkout/certificate", AGENT, csr, 403);
    add("POST", doc, "/v1/namespaces/nowhere/identities/checkout/certificate", ADMIN, csr, 404);
    add("POST", doc, "/v1/namespaces/oa/identities/Bad/certificate", ADMIN, csr, 400);
    add("POST", doc, path, AGENT, "{\"csr\": \"not pem\"}", 400);
    add("POST", doc, path, AGENT, "{}", 400);
    add("POST", doc, path, AGENT, null, 400);
    add("POST", doc, path, null, csr, 401);
  }

  /** A PKCS#10 request in PEM for a fresh EC P-256 key, as an agent makes one. */
  static String csr() {
    try {
      java.security.KeyPair pair = io.tether.xds.identity.MeshCa.ecKeyPair();
      var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
          new org.bouncycastle.asn1.x500.X500Name("CN=checkout"), pair.getPublic())
          .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return io.tether.xds.identity.Pem.write(request);
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private void console() {
    add("GET", "/ui", "/ui", null, null, 200);
    add("GET", "/ui/{path}", "/ui/services", null, null, 200);
    add("GET", "/ui/{path}", "/ui/namespaces/oa", null, null, 200);
    add("GET", "/ui/{path}", "/ui/a%2Fb", null, null, 400);
    add("GET", "/ui/assets/{file}", "/ui/assets/nothing.js", null, null, 404);
  }
}
