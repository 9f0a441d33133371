package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.model.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.ProxyKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A delta (DELTA_GRPC, the agent's bootstrap) and a state-of-the-world (GRPC) Envoy in one namespace are
 * served the same config: their config dumps agree resource by resource, and /v1/proxies shows each of
 * them with every type ACKed at the version the server serves now; after a change, again.
 */
class EnvoyDeltaSotwTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  private static final String NS = "a";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Map<ResourceType, String> TYPES = Map.of(ResourceType.LISTENER, "LDS",
      ResourceType.ROUTE, "RDS", ResourceType.CLUSTER, "CDS", ResourceType.ENDPOINT, "EDS");

  private static EnvoyProxy sotw;
  private static EnvoyProxy delta;
  private static final List<HttpServer> servers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
    service("cv-http", "http", 8080, "");
    service("cv-grpc", "grpc", 9090, "\"loadBalancing\":\"LEAST_REQUEST\"");
    register("cv-http", "h1");
    register("cv-http", "h2");
    register("cv-grpc", "g1");
    mesh.awaitView();
    sotw = EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-sotw"), "GRPC");
    delta = EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-delta"), "DELTA_GRPC");
  }

  @AfterAll
  static void stop() {
    for (EnvoyProxy e : new EnvoyProxy[] {sotw, delta}) {
      if (e != null) {
        e.close();
      }
    }
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void deltaAndStateOfTheWorldEnvoysConvergeToTheSameConfigAndAgainAfterAChange() {
    awaitConverged("at start", 0, "\"egress:cv-http:8080\"", "\"cv-grpc.a\"");
    assertThat(mesh.proxyStream(sotw.nodeId).path("delta").asBoolean()).as("SotW stream").isFalse();
    assertThat(mesh.proxyStream(delta.nodeId).path("delta").asBoolean()).as("delta stream").isTrue();

    long changedAt = System.nanoTime();
    service("cv-http", "http", 8080, "\"timeout\":{\"perRequestTimeoutSeconds\":3},\"loadBalancing\":\"RANDOM\"");
    int h3 = register("cv-http", "h3");
    service("cv-new", "http", 7070, "");
    awaitConverged("after a change", changedAt, "\"cv-new.a\"", "\"egress:cv-new:7070\"", "\"3s\"", "RANDOM",
        "\"port_value\":" + h3);
  }

  /**
   * Polls until each Envoy's dump holds {@code expected} and /v1/proxies shows it with every type ACKed
   * at the version the server serves now, and the two dumps agree; prints how long each Envoy took
   * since {@code since} (0: not timed).
   */
  private static void awaitConverged(String when, long since, String... expected) {
    long[] doneAt = new long[2];
    EnvoyProxy[] both = {sotw, delta};
    Poll.until(WAIT, () -> {
      for (int i = 0; i < both.length; i++) {
        if (doneAt[i] == 0 && ackedCurrent(both[i]) && holds(both[i], expected)) {
          doneAt[i] = System.nanoTime();
        }
      }
      return doneAt[0] != 0 && doneAt[1] != 0 && served(sotw).equals(served(delta));
    }, () -> when + ": /v1/proxies " + mesh.api.get("/v1/proxies").body() + "\nserved " + currentVersions(sotw)
        + "\nSotW dump " + served(sotw) + "\ndelta dump " + served(delta));
    assertThat(ackedCurrent(sotw) && ackedCurrent(delta)).as("both still ACKed at the served versions").isTrue();
    if (since != 0) {
      System.out.printf("[EnvoyDeltaSotwTest] %s: SotW converged in %d ms, delta in %d ms (delta - SotW %d ms)%n",
          when, (doneAt[0] - since) / 1_000_000, (doneAt[1] - since) / 1_000_000, (doneAt[1] - doneAt[0]) / 1_000_000);
    }
  }

  private static boolean holds(EnvoyProxy envoy, String... expected) {
    String dump = Json.MAPPER.valueToTree(served(envoy)).toString();
    return java.util.Arrays.stream(expected).allMatch(dump::contains);
  }

  /** Whether /v1/proxies shows every type ACKed by this Envoy at the version its group is served now. */
  private static boolean ackedCurrent(EnvoyProxy envoy) {
    JsonNode stream = mesh.proxyStream(envoy.nodeId);
    Map<String, String> current = currentVersions(envoy);
    return stream != null && !current.isEmpty() && current.entrySet().stream()
        .allMatch(e -> e.getValue().equals(stream.path("ackedVersions").path(e.getKey()).asText()));
  }

  /** The version of each type the server serves this Envoy's group now. */
  private static Map<String, String> currentVersions(EnvoyProxy envoy) {
    Map<String, String> versions = new TreeMap<>();
    var cache = mesh.server.xds().cache();
    cache.groupOf(new ProxyKey(NS, envoy.nodeId)).flatMap(cache::snapshot).map(GroupSnapshot::types)
        .ifPresent(types -> TYPES.forEach((type, name) -> versions.put(name, types.get(type).version())));
    return versions;
  }

  /**
   * The dynamic resources of the Envoy's config dump by kind and name, without what differs between two
   * Envoys holding the same config (when and in which response each arrived).
   */
  private static Map<String, Map<String, JsonNode>> served(EnvoyProxy envoy) {
    Map<String, Map<String, JsonNode>> out = new TreeMap<>();
    try {
      for (JsonNode config : Json.MAPPER.readTree(envoy.admin("/config_dump?include_eds")).path("configs")) {
        collect(out, "listeners", config.path("dynamic_listeners"), "active_state", "listener");
        collect(out, "clusters", config.path("dynamic_active_clusters"), "cluster");
        collect(out, "routes", config.path("dynamic_route_configs"), "route_config");
        collect(out, "endpoints", config.path("dynamic_endpoint_configs"), "endpoint_config");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static void collect(Map<String, Map<String, JsonNode>> out, String kind, JsonNode entries, String... path) {
    for (JsonNode entry : entries) {
      JsonNode resource = entry;
      for (String step : path) {
        resource = resource.path(step);
      }
      if (!resource.isObject()) {
        continue; // not active yet (e.g. a listener still warming): convergence waits for it
      }
      ObjectNode normal = resource.deepCopy();
      normal.remove("@type");
      String name = normal.has("name") ? normal.path("name").asText() : normal.path("cluster_name").asText();
      out.computeIfAbsent(kind, k -> new TreeMap<>()).put(name, normal);
    }
  }

  private static void service(String name, String protocol, int port, String policy) {
    int status = mesh.api.put("/v1/namespaces/" + NS + "/services/" + name, "{\"portName\":\"p\",\"appProtocol\":\""
        + protocol + "\",\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + port + "}]"
        + (policy.isEmpty() ? "" : "," + policy) + "}").status();
    assertThat(status).as("PUT service " + name).isIn(200, 201);
  }

  /** Registers a new HTTP backend as endpoint {@code id}; returns its port. */
  private static int register(String svc, String id) {
    HttpServer backend = HttpBackends.httpBackend(id);
    servers.add(backend);
    mesh.api.put("/v1/namespaces/" + NS + "/services/" + svc + "/endpoints/" + id,
        "{\"address\":\"127.0.0.1\",\"port\":" + backend.getAddress().getPort() + ",\"health\":\"HEALTHY\"}")
        .expect(201);
    return backend.getAddress().getPort();
  }
}
