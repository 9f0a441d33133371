package io.tether.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.process.BoundChildren;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real Envoy as the agent runs it beside a task (client-only by default; any {@link BootstrapSpec}
 * through {@link #agentLike}): the agent's own bootstrap (delta ADS with the agent token),
 * {@code --concurrency 1}, bound to this JVM's life. Read through its admin API.
 */
final class Sidecar implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Process process;
  private final int adminPort;
  private final long startedNanos = System.nanoTime();

  private Sidecar(Process process, int adminPort) {
    this.process = process;
    this.adminPort = adminPort;
  }

  /**
   * The Envoy binary {@code ENVOY_BIN} names (an executable regular file), or empty after printing the
   * one-line error that says so ({@code ./tether bench NAME} installs Envoy and sets it).
   */
  static java.util.Optional<Path> binary(String benchmark) {
    String bin = System.getenv("ENVOY_BIN");
    if (bin == null || bin.isBlank() || !Files.isRegularFile(Path.of(bin)) || !Files.isExecutable(Path.of(bin))) {
      System.err.println("error: ENVOY_BIN must name an Envoy binary (./tether bench " + benchmark
          + " installs and sets it)");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Path.of(bin));
  }

  /** How the sidecar speaks ADS: delta, as the agent bootstraps it, or state-of-the-world. */
  enum Ads { DELTA, SOTW }

  static Sidecar start(Path envoy, Path dir, String nodeId, String namespace, int xdsPort, String token, Ads ads)
      throws IOException {
    int admin = Ports.free();
    Bootstrap bootstrap = EnvoyBootstrap.render(new BootstrapSpec(nodeId, "bench-caller", namespace, List.of(),
        "127.0.0.1", xdsPort, token, admin, null));
    return start(envoy, dir, nodeId, bootstrap, admin, ads, List.of());
  }

  /**
   * A sidecar of the agent's own bootstrap for {@code spec} (its {@code adminPort} included) as
   * {@code edit} changes it, started with the agent's drain flags ({@code --drain-strategy immediate
   * --drain-time-s 1}, as {@code EnvoySupervisor} runs Envoy), delta ADS.
   */
  static Sidecar agentLike(Path envoy, Path dir, BootstrapSpec spec, UnaryOperator<Bootstrap> edit)
      throws IOException {
    return start(envoy, dir, spec.nodeId(), edit.apply(EnvoyBootstrap.render(spec)), spec.adminPort(), Ads.DELTA,
        List.of("--drain-strategy", "immediate", "--drain-time-s", "1"));
  }

  /** A bootstrap edit: node metadata {@code identity}, the service a client-only node calls as. */
  static UnaryOperator<Bootstrap> callingAs(String identity) {
    return bootstrap -> {
      Bootstrap.Builder b = bootstrap.toBuilder();
      b.getNodeBuilder().getMetadataBuilder().putFields("identity", Value.newBuilder().setStringValue(identity).build());
      return b.build();
    };
  }

  private static Sidecar start(Path envoy, Path dir, String nodeId, Bootstrap bootstrap, int admin, Ads ads,
      List<String> flags) throws IOException {
    Path file = dir.resolve(nodeId + ".json");
    String json = json(bootstrap);
    Files.writeString(file, ads == Ads.DELTA ? json : json.replace("\"DELTA_GRPC\"", "\"GRPC\""));
    List<String> command = new ArrayList<>(List.of(envoy.toString(), "-c", file.toString(), "--concurrency", "1",
        "--disable-hot-restart", "--base-id", Integer.toString(ThreadLocalRandom.current().nextInt(1, 1 << 20)),
        "--log-level", "warn"));
    command.addAll(flags);
    return new Sidecar(BoundChildren.shared().start(command, dir.resolve(nodeId + ".log")), admin);
  }

  /** As {@link EnvoyBootstrap#json}, knowing also the types the benchmarks' edits pack ({@link KeepAliveOff}). */
  private static String json(Bootstrap bootstrap) {
    try {
      return JsonFormat.printer().preservingProtoFieldNames().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
          .add(EnvoyBootstrap.PACKED_TYPES).add(KeepAliveOff.PACKED_TYPE).build()).print(bootstrap);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print the bootstrap", e);
    }
  }

  /** Envoy's {@code /ready} answers 200: its first configuration is applied. */
  boolean ready() {
    return get("/ready").map(body -> body.trim().equals("LIVE")).orElse(false);
  }

  /** True when Envoy's cluster {@code cluster} has {@code address:port} among its hosts. */
  boolean hasEndpoint(String cluster, String hostPort) {
    return get("/clusters").map(body -> body.contains(cluster + "::" + hostPort + "::")).orElse(false);
  }

  /** A counter or gauge of Envoy's {@code /stats}, 0 when it has none of that name. */
  long stat(String name) {
    String prefix = name + ": ";
    return get("/stats?filter=" + java.net.URLEncoder.encode("^" + name.replace(".", "\\.") + "$",
        java.nio.charset.StandardCharsets.UTF_8)).stream().flatMap(String::lines)
        .filter(l -> l.startsWith(prefix)).mapToLong(l -> Long.parseLong(l.substring(prefix.length()).trim()))
        .findFirst().orElse(0);
  }

  /** The sum of Envoy's {@code /stats} counters whose names match the RE2 {@code regex}. */
  long statSum(String regex) {
    return get("/stats?filter=" + java.net.URLEncoder.encode(regex, java.nio.charset.StandardCharsets.UTF_8)).stream()
        .flatMap(String::lines).map(l -> l.substring(l.lastIndexOf(": ") + 2).trim())
        .filter(v -> v.matches("[0-9]+")).mapToLong(Long::parseLong).sum();
  }

  /** Envoy's {@code /config_dump} of one resource kind (e.g. {@code dynamic_route_configs}), empty when unreachable. */
  java.util.Optional<String> configDump(String resource) {
    return get("/config_dump?resource=" + resource);
  }

  /** Nanoseconds from the start of the process to now. */
  long sinceStart() {
    return System.nanoTime() - startedNanos;
  }

  /** Resident memory of the Envoy process, from /proc. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private java.util.Optional<String> get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? java.util.Optional.of(r.body()) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
