package io.tether.conformance;

import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.model.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real Envoy sidecar bootstrapped as the agent bootstraps one (ADS to a test mesh's xDS port with
 * agent A's token, admin on loopback), one worker thread, bound to the test JVM's life; closing it
 * stops it. Needs {@code ENVOY_BIN} ({@code ./tether test} installs one).
 */
@SuppressWarnings("unchecked")
final class EnvoyProxy implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final String nodeId = "envoy-" + UUID.randomUUID();
  final String adminUrl;
  private final Path log;
  private final Process process;

  private EnvoyProxy(Path dir, int xdsPort, String apiType, List<Map<String, Object>> services,
      Map<String, Object> metadata, List<Map<String, Object>> listeners) throws Exception {
    this(dir, xdsPort, apiType, services, metadata, listeners, List.of(), null, Mesh.AGENT_A);
  }

  private EnvoyProxy(Path dir, int xdsPort, String apiType, List<Map<String, Object>> services,
      Map<String, Object> metadata, List<Map<String, Object>> listeners, List<String> flags, String zone,
      String token) throws Exception {
    int admin = Ports.free();
    adminUrl = "http://127.0.0.1:" + admin;
    Path bootstrap = dir.resolve("bootstrap.json");
    Map<String, Object> config = new java.util.HashMap<>(bootstrap(nodeId, xdsPort, admin, token, apiType,
        services));
    Map<String, Object> node = new java.util.HashMap<>((Map<String, Object>) config.get("node"));
    Map<String, Object> meta = new java.util.HashMap<>((Map<String, Object>) node.get("metadata"));
    meta.putAll(metadata);
    node.put("metadata", meta);
    if (zone != null) {
      node.put("locality", Map.of("zone", zone));
    }
    config.put("node", node);
    Map<String, Object> statics = new java.util.HashMap<>((Map<String, Object>) config.get("static_resources"));
    statics.put("listeners", listeners);
    config.put("static_resources", statics);
    Files.writeString(bootstrap, Json.MAPPER.writeValueAsString(config));
    log = dir.resolve("envoy.log");
    List<String> command = new java.util.ArrayList<>(List.of(Prerequisites.envoy().toString(), "-c",
        bootstrap.toString(), "--base-id", Integer.toString(ThreadLocalRandom.current().nextInt(1_000, 1_000_000)),
        "--concurrency", "1", "--log-level", "info"));
    command.addAll(flags);
    process = TestProcesses.spawn(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()));
  }

  /** Starts an Envoy against {@code mesh}'s xDS, its files in {@code dir}; returns once its admin says /ready. */
  static EnvoyProxy start(Mesh mesh, Path dir) throws Exception {
    return start(mesh, dir, "GRPC");
  }

  /** As {@link #start(Mesh, Path)}, over ADS of the given {@code api_type}: {@code GRPC} or {@code DELTA_GRPC}. */
  static EnvoyProxy start(Mesh mesh, Path dir, String apiType) throws Exception {
    return start(mesh, dir, apiType, List.of());
  }

  /**
   * A sidecar serving {@code services} of namespace {@code a} (node metadata {@code services}: {@code
   * discoveryName, ingressPort, appPort} each), so that it also gets their ingress listeners.
   */
  static EnvoyProxy serving(Mesh mesh, Path dir, List<Map<String, Object>> services) throws Exception {
    return start(mesh, dir, "GRPC", services);
  }

  private static EnvoyProxy start(Mesh mesh, Path dir, String apiType, List<Map<String, Object>> services)
      throws Exception {
    return start(new EnvoyProxy(dir, mesh.xdsPort(), apiType, services, Map.of(), List.of()));
  }

  /**
   * As {@link #start(Mesh, Path, String)} against the xDS port {@code xdsPort}, with more node metadata
   * and static listeners in the bootstrap (e.g. one whose TLS context names the mesh's SDS secrets).
   */
  static EnvoyProxy start(int xdsPort, Path dir, String apiType, Map<String, Object> metadata,
      List<Map<String, Object>> listeners) throws Exception {
    return start(new EnvoyProxy(dir, xdsPort, apiType, List.of(), metadata, listeners));
  }

  /**
   * As {@link #start(int, Path, String, Map, List)}, drained as the agent's Envoys are (EnvoySupervisor:
   * {@code --drain-strategy immediate}, 1 s): a listener update closes the old listener's connections
   * after the response in flight, so the next request meets the new listener.
   */
  static EnvoyProxy startDrainingAsTheAgent(int xdsPort, Path dir, Map<String, Object> metadata) throws Exception {
    return startDrainingAsTheAgent(xdsPort, dir, Mesh.AGENT_A, metadata);
  }

  /**
   * As {@link #startDrainingAsTheAgent(int, Path, Map)} with the agent token {@code token} (its namespace's:
   * put that namespace in {@code metadata} too).
   */
  static EnvoyProxy startDrainingAsTheAgent(int xdsPort, Path dir, String token, Map<String, Object> metadata)
      throws Exception {
    return start(new EnvoyProxy(dir, xdsPort, "GRPC", List.of(), metadata, List.of(),
        List.of("--drain-time-s", "1", "--drain-strategy", "immediate"), null, token));
  }

  /** As {@link #start(Mesh, Path)}, the node in {@code zone} (its standard {@code locality.zone}, as the agent writes it). */
  static EnvoyProxy inZone(Mesh mesh, Path dir, String zone) throws Exception {
    return start(new EnvoyProxy(dir, mesh.xdsPort(), "GRPC", List.of(), Map.of(), List.of(), List.of(), zone,
        Mesh.AGENT_A));
  }

  /** Returns {@code envoy} once its admin says /ready; closes it when it does not get there. */
  private static EnvoyProxy start(EnvoyProxy envoy) {
    try {
      Poll.until(READY, () -> get(envoy.adminUrl + "/ready").map(r -> r.statusCode() == 200).orElse(false),
          () -> "envoy /ready; envoy log:\n" + envoy.tail());
    } catch (RuntimeException | Error e) {
      envoy.close();
      throw e;
    }
    return envoy;
  }

  /** An admin endpoint's body, e.g. {@code /config_dump}. */
  String admin(String path) {
    return get(adminUrl + path).orElseThrow(() -> new AssertionError("envoy admin " + path + " unreachable")).body();
  }

  /** A counter or gauge from {@code /stats}, 0 when Envoy has none of that name. */
  long stat(String name) {
    String prefix = name + ": ";
    return admin("/stats?filter=" + URLEncoder.encode("^" + name.replace(".", "\\.") + "$",
        StandardCharsets.UTF_8)).lines()
        .filter(l -> l.startsWith(prefix)).mapToLong(l -> Long.parseLong(l.substring(prefix.length()).trim()))
        .findFirst().orElse(0);
  }

  /** The last lines of Envoy's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("envoy did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A GET with a 2 s timeout; empty when nothing answers. */
  static Optional<HttpResponse<String>> get(String url) {
    return get(url, Map.of());
  }

  /** A GET with these headers and a 2 s timeout; empty when nothing answers. */
  static Optional<HttpResponse<String>> get(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
    headers.forEach(request::header);
    try {
      return Optional.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** An Envoy bootstrap as the agent writes it: ADS to Tether with the agent's token, admin on loopback. */
  private static Map<String, Object> bootstrap(String nodeId, int xdsPort, int adminPort, String token, String apiType,
      List<Map<String, Object>> services) {
    Map<String, Object> ads = Map.of("ads", Map.of(), "resource_api_version", "V3");
    return Map.of(
        "node", Map.of("id", nodeId, "cluster", "conformance-client",
            "metadata", Map.of("namespace", "a", "services", services)),
        "dynamic_resources", Map.of(
            "ads_config", Map.of(
                "api_type", apiType,
                "transport_api_version", "V3",
                "set_node_on_first_message_only", false,
                "grpc_services", List.of(Map.of(
                    "envoy_grpc", Map.of("cluster_name", "xds"),
                    "initial_metadata", List.of(Map.of("key", "authorization", "value", "Bearer " + token))))),
            "lds_config", ads,
            "cds_config", ads),
        "static_resources", Map.of("clusters", List.of(Map.of(
            "name", "xds",
            "type", "STATIC",
            "connect_timeout", "1s",
            "typed_extension_protocol_options", Map.of(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Map.of(
                    "@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                    "explicit_http_config", Map.of("http2_protocol_options", Map.of()))),
            "load_assignment", Map.of(
                "cluster_name", "xds",
                "endpoints", List.of(Map.of("lb_endpoints", List.of(Map.of("endpoint", Map.of("address",
                    Map.of("socket_address", Map.of("address", "127.0.0.1", "port_value", xdsPort))))))))))),
        "admin", Map.of("address", Map.of("socket_address", Map.of("address", "127.0.0.1", "port_value", adminPort))),
        "layered_runtime", runtime());
  }

  /** The agent's runtime layer (EnvoyBootstrap): the RE2 program-size levels the registry's edge is set against. */
  private static Map<String, Object> runtime() {
    return Map.of("layers", List.of(
        Map.of("name", "tether", "static_layer", Map.of(
            "re2.max_program_size.error_level", EnvoyBootstrap.RE2_PROGRAM_SIZE_ERROR_LEVEL,
            "re2.max_program_size.warn_level", EnvoyBootstrap.RE2_PROGRAM_SIZE_WARN_LEVEL)),
        Map.of("name", "admin", "admin_layer", Map.of())));
  }
}
