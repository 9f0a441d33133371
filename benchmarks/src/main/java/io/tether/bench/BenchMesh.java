package io.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.xds.server.XdsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Tether server in this JVM on a local etcd of its own (temp data dir, free loopback ports): the
 * registry's REST API and the xDS server (SDS from the in-memory CA it makes when given none), driven
 * through the REST API with an admin token, as an operator would.
 */
final class BenchMesh implements AutoCloseable {
  static final String TOKEN = "bench-admin-token-0123456789";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalEtcd etcd;
  private final RegistryServer registry;
  private final XdsServer xds;

  private BenchMesh(LocalEtcd etcd, RegistryServer registry, XdsServer xds) {
    this.etcd = etcd;
    this.registry = registry;
    this.xds = xds;
  }

  static BenchMesh start(Path dir) throws Exception {
    LocalEtcd etcd = LocalEtcd.single(dir.resolve("etcd"), Ports.free(), Ports.free()).start()
        .awaitHealthy(Duration.ofSeconds(30));
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("bench", TOKEN, Role.ADMIN, null)));
    RegistryServer registry = null;
    try {
      registry = new RegistryServer(new RegistryServer.Config(List.of(etcd.clientUrl()), "/bench/", "127.0.0.1", 0,
          tokens, Duration.ofSeconds(5), HttpLimits.defaults())).start();
      XdsServer xds = new XdsServer(new XdsServer.Config("127.0.0.1", 0, tokens))
          .start(registry.view(), registry.meters(), List.of());
      return new BenchMesh(etcd, registry, xds);
    } catch (RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      etcd.close();
      throw e;
    }
  }

  int xdsPort() {
    return xds.port();
  }

  /** PUT of a JSON body to the REST API; throws unless it answers 200 or 201. */
  void put(String path, String json) throws IOException, InterruptedException {
    expectOk(send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(json))
        .header("content-type", "application/json")), "PUT " + path);
  }

  /** DELETE on the REST API; throws unless it answers 2xx. */
  void delete(String path) throws IOException, InterruptedException {
    expectOk(send(HttpRequest.newBuilder(uri(path)).DELETE()), "DELETE " + path);
  }

  /** The VIP the registry gave the first client alias of service {@code svc} (the listing carries VIPs). */
  String vip(String ns, String svc) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/namespaces/" + ns + "/services")).GET());
    expectOk(r, "GET services of " + ns);
    for (JsonNode s : Json.MAPPER.readTree(r.body()).path("items")) {
      JsonNode vip = s.path("clientAliases").path(0).path("vip");
      if (s.path("discoveryName").asText().equals(svc) && vip.isTextual()) {
        return vip.asText();
      }
    }
    throw new IllegalStateException("service " + svc + " has no VIP: " + r.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.header("authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + registry.apiPort() + path);
  }

  private static void expectOk(HttpResponse<String> r, String what) {
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  @Override
  public void close() {
    try (etcd; registry; xds) {
      // closed in reverse order: xDS, registry, then etcd
    }
  }
}
