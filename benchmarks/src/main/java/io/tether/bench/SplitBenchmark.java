package io.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast a weight change moves traffic (README "Routes"; issue 14's "Measure"): {@code web}'s one rule
 * splits every call between {@code web-v1} and {@code web-v2}, and each write flips the weights
 * (100/0, 0/100) while the fleet (client-only Envoys, the agent's bootstrap) is called steadily. The
 * Envoys share one host here, so they all bind {@code web}'s VIP and port (Envoy listens with
 * SO_REUSEPORT) and the kernel hands each caller's keep-alive connection to one of them; one caller per
 * Envoy. Per write:
 * <ul>
 *   <li>config, per Envoy: the PUT's start to the moment its admin stats count the route's update (its
 *       config dump is then checked to hold the new weights);</li>
 *   <li>traffic, per caller: the PUT's start to the first call after which every call reaches the new
 *       backend;</li>
 *   <li>the baseline, in the same loop, per Envoy: an endpoint added to another service to the moment
 *       the Envoy's {@code /clusters} lists it (the propagation {@link EnvoyBenchmark} measures);</li>
 *   <li>what a weight change pushes: each Envoy's CDS, LDS, RDS and EDS updates per write;</li>
 *   <li>failed calls over the whole run: a weight change must lose none.</li>
 * </ul>
 */
@Command(name = "split-bench", mixinStandardHelpOptions = true, description = "Weight changes against real Envoys.")
public final class SplitBenchmark implements Callable<Integer> {
  private static final String NS = "bench";
  /** Envoy's count of applied updates of the route {@code web:8080} behind the egress listener {@code egress:web:8080}. */
  private static final String ROUTE_UPDATES = "http.egress_web_8080.rds.web_8080.update_success";
  private static final String[] XDS_STATS = {"cluster_manager\\.cds\\.update_success",
      "listener_manager\\.lds\\.update_success", "http\\..*\\.rds\\..*\\.update_success",
      "cluster\\.[^.]+\\.bench\\.update_success"};

  @Option(names = "--envoys", description = "client Envoys (default ${DEFAULT-VALUE})")
  int envoys = 10;

  @Option(names = "--writes", description = "measured weight changes (default ${DEFAULT-VALUE})")
  int writes = 20;

  private BenchMesh mesh;
  private int nextProbe = 30_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SplitBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    java.util.Optional<Path> bin = Sidecar.binary("split");
    if (bin.isEmpty()) {
      return 2;
    }
    Path dir = Files.createTempDirectory("tether-split-bench");
    List<Sidecar> fleet = new ArrayList<>();
    try (BenchMesh m = BenchMesh.start(dir); HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      mesh = m;
      services(v1.port(), v2.port());
      String url = "http://" + mesh.vip(NS, "web") + ":8080/";
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < envoys; i++) {
        fleet.add(Sidecar.start(bin.get(), dir, "split-" + i, NS, mesh.xdsPort(), BenchMesh.TOKEN, Sidecar.Ads.DELTA));
        urls.add(url);
      }
      for (Sidecar s : fleet) {
        Callees.await(() -> s.ready() && s.hasEndpoint("web-v2." + NS, "127.0.0.1:" + v2.port()), "Envoy ready");
      }
      System.out.printf(Locale.ROOT, "split: %d Envoys, %d weight changes; %d CPUs%n", envoys, writes,
          Runtime.getRuntime().availableProcessors());
      try (SplitCallers callers = new SplitCallers(urls)) {
        measure(fleet, callers);
      }
    } finally {
      fleet.forEach(Sidecar::close);
    }
    return 0;
  }

  private void measure(List<Sidecar> fleet, SplitCallers callers) throws Exception {
    Histogram config = new Histogram(3);
    Histogram traffic = new Histogram(3);
    Histogram baseline = new Histogram(3);
    long[] pushes = new long[XDS_STATS.length];
    int warmup = 3;
    for (int w = 0; w < writes + warmup; w++) {
      boolean measured = w >= warmup;
      int v1Weight = w % 2 == 0 ? 0 : 100;
      String newBackend = v1Weight == 100 ? "v1" : "v2";
      long[] before = measured ? stats(fleet) : null;

      long[] routeUpdates = fleet.stream().mapToLong(s -> s.stat(ROUTE_UPDATES)).toArray();
      long start = System.nanoTime();
      mesh.put("/v1/namespaces/" + NS + "/services/web", webSpec(v1Weight));
      List<Integer> waiting = new ArrayList<>(java.util.stream.IntStream.range(0, fleet.size()).boxed().toList());
      while (!waiting.isEmpty()) {
        waiting.removeIf(i -> {
          boolean applied = fleet.get(i).stat(ROUTE_UPDATES) > routeUpdates[i];
          if (applied && measured) {
            config.recordValue((System.nanoTime() - start) / 1000);
          }
          return applied;
        });
        deadline(start, "a route update in every Envoy");
        Thread.sleep(1); // pacing of the admin polls
      }
      for (Sidecar s : fleet) {
        if (weightOfV1(s) != v1Weight) {
          throw new IllegalStateException("an Envoy's route update did not hold the weights " + v1Weight);
        }
      }
      List<Long> switched;
      while ((switched = callers.switchTimes(start, newBackend, 20)) == null) {
        deadline(start, "every Envoy's calls on " + newBackend);
        Thread.sleep(5); // pacing of the polls
      }
      if (measured) {
        switched.forEach(ns -> traffic.recordValue(ns / 1000));
        long[] after = stats(fleet);

        for (int i = 0; i < pushes.length; i++) {
          pushes[i] += after[i] - before[i];
        }
        endpointPropagation(fleet, baseline);
      }
    }
    print("weight change -> route, per Envoy", config);
    print("weight change -> calls on the new split", traffic);
    print("baseline: endpoint add -> per Envoy", baseline);
    System.out.printf(Locale.ROOT, "config / baseline p50: %.2fx%n",
        config.getValueAtPercentile(50) / (double) baseline.getValueAtPercentile(50));
    System.out.printf(Locale.ROOT, "per weight change and Envoy: CDS %.2f, LDS %.2f, RDS %.2f, EDS %.2f updates%n",
        pushes[0] / (double) (writes * fleet.size()), pushes[1] / (double) (writes * fleet.size()),
        pushes[2] / (double) (writes * fleet.size()), pushes[3] / (double) (writes * fleet.size()));
    System.out.printf(Locale.ROOT, "calls: %,d, failed: %d%n", callers.total(), callers.failures());
  }

  /** {@code web-v1} and {@code web-v2} on the two backends, and {@code web} splitting between them; a probe service. */
  private void services(int v1Port, int v2Port) throws Exception {
    mesh.put("/v1/namespaces/" + NS, "{}");
    for (String svc : List.of("web-v1", "web-v2", "probe")) {
      mesh.put("/v1/namespaces/" + NS + "/services/" + svc, "{\"portName\":\"http\",\"appProtocol\":\"http\","
          + "\"clientAliases\":[{\"dnsName\":\"" + svc + "\",\"port\":8080}]}");
    }
    mesh.put("/v1/namespaces/" + NS + "/services/web-v1/endpoints/a", "{\"address\":\"127.0.0.1\",\"port\":" + v1Port + "}");
    mesh.put("/v1/namespaces/" + NS + "/services/web-v2/endpoints/a", "{\"address\":\"127.0.0.1\",\"port\":" + v2Port + "}");
    mesh.put("/v1/namespaces/" + NS + "/services/web", webSpec(100));
  }

  private static String webSpec(int v1Weight) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],"
        + "\"routes\":[{\"name\":\"all\",\"match\":{\"path\":{\"prefix\":\"/\"}},\"to\":[{\"service\":\"web-v1\","
        + "\"weight\":" + v1Weight + "},{\"service\":\"web-v2\",\"weight\":" + (100 - v1Weight) + "}]}]}";
  }

  /** The weight of web-v1 in the Envoy's route {@code web:8080}, -1 when it has none yet. */
  private static int weightOfV1(Sidecar s) {
    return s.configDump("dynamic_route_configs").map(body -> {
      try {
        for (JsonNode c : Json.MAPPER.readTree(body).path("configs")) {
          JsonNode route = c.path("route_config");
          if (route.path("name").asText().equals("web:8080")) {
            for (JsonNode cluster : route.findPath("weighted_clusters").path("clusters")) {
              if (cluster.path("name").asText().equals("web-v1." + NS)) {
                return cluster.path("weight").asInt(0);
              }
            }
          }
        }
        return -1;
      } catch (java.io.IOException e) {
        return -1;
      }
    }).orElse(-1);
  }

  /** Records, per Envoy, the microseconds from an endpoint added to {@code probe} to the moment it lists it. */
  private void endpointPropagation(List<Sidecar> fleet, Histogram perEnvoy) throws Exception {
    int port = nextProbe++;
    long start = System.nanoTime();
    mesh.put("/v1/namespaces/" + NS + "/services/probe/endpoints/p" + port,
        "{\"address\":\"127.0.0.1\",\"port\":" + port + "}");
    List<Sidecar> waiting = new ArrayList<>(fleet);
    while (!waiting.isEmpty()) {
      waiting.removeIf(s -> {
        boolean applied = s.hasEndpoint("probe." + NS, "127.0.0.1:" + port);
        if (applied) {
          perEnvoy.recordValue((System.nanoTime() - start) / 1000);
        }
        return applied;
      });
      deadline(start, "probe endpoint in every Envoy");
      Thread.sleep(1); // pacing of the admin polls
    }
  }

  private static long[] stats(List<Sidecar> fleet) {
    long[] out = new long[XDS_STATS.length];
    for (Sidecar s : fleet) {
      for (int i = 0; i < XDS_STATS.length; i++) {
        out[i] += s.statSum(XDS_STATS[i]);
      }
    }
    return out;
  }

  private static void deadline(long start, String what) {
    if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
      throw new IllegalStateException("not within 30 s: " + what);
    }
  }

  private static void print(String what, Histogram h) {
    System.out.printf(Locale.ROOT, "%-42s p50 %8.2f ms  p99 %8.2f ms%n", what, h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0);
  }
}
