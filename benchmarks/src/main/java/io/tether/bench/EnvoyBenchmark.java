package io.tether.bench;

import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.xds.server.XdsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Real Envoy sidecars (the agent's bootstrap, {@code --concurrency 1}) against Tether, delta ADS (as
 * the agent runs them) and state-of-the-world, with the registry write's own latency, measured in the
 * same loop, as the baseline. (A stock SimpleCache fed Tether's snapshots, the baseline of
 * XdsBenchmark, left real Envoys waiting on their initial EDS and LDS fetch, so it is not used here.)
 * <ul>
 *   <li>propagation: a registry write (an endpoint added) to the moment every Envoy's admin
 *       {@code /clusters} lists it, with 1, 10 and 50 Envoys;</li>
 *   <li>the server's CPU per update: the CPU time of its own threads (gRPC, Vert.x, jetcd, the view
 *       and the publisher; not the harness's admin polling), per write and per Envoy that applied it;</li>
 *   <li>cost in Envoy: RSS and time from start to {@code /ready} with 10, 100 and 1,000 services in
 *       the namespace (each an egress listener, route, cluster and assignment), against an empty one.</li>
 * </ul>
 * Envoy's admin is polled round-robin by one thread, so a figure includes up to one sweep of polling.
 */
@Command(name = "envoy-bench", mixinStandardHelpOptions = true, description = "Tether against real Envoys.")
public final class EnvoyBenchmark implements Callable<Integer> {
  private static final String NS = "bench";
  private static final String TOKEN = "bench-agent-token-0123456789";
  private static final String CLUSTER = "web." + NS;

  @Option(names = "--envoys", split = ",", description = "Envoy counts (default ${DEFAULT-VALUE})")
  List<Integer> envoyCounts = List.of(1, 10, 50);

  @Option(names = "--writes", description = "measured endpoint writes per arm (default ${DEFAULT-VALUE})")
  int writes = 20;

  @Option(names = "--sizes", split = ",", description = "services per namespace for the cost figures (default ${DEFAULT-VALUE})")
  List<Integer> sizes = List.of(10, 100, 1000);

  private Path envoy;
  private Path dir;
  private RegistryStore store;
  private int nextPort = 20_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new EnvoyBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    java.util.Optional<Path> bin = Sidecar.binary("envoy");
    if (bin.isEmpty()) {
      return 2;
    }
    envoy = bin.get();
    dir = Files.createTempDirectory("tether-envoy-bench");
    LocalEtcd etcd = LocalEtcd.single(dir.resolve("etcd"), Ports.free(), Ports.free()).start().awaitHealthy(Duration.ofSeconds(30));
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("bench", TOKEN, Role.ADMIN, null)));
    try (RegistryServer registry = new RegistryServer(new RegistryServer.Config(List.of(etcd.clientUrl()), "/bench/",
            "127.0.0.1", 0, tokens, Duration.ofSeconds(5), HttpLimits.defaults())).start();
        XdsServer xds = new XdsServer(new XdsServer.Config("127.0.0.1", 0, tokens)).start(registry.view(), registry.meters(), List.of())) {
      store = registry.store();
      CpuTime.rememberServerEventLoops(); // every Vert.x loop in this JVM is the server's: the harness has none
      namespace(NS, 1);
      System.out.printf(Locale.ROOT, "Envoy %s; %d writes per arm; %d CPUs%n%n", envoy, writes,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "%-7s %-28s %9s %9s %18s %12s%n", "envoys", "write -> every Envoy applied", "p50 ms",
          "p99 ms", "server CPU/update", "per Envoy");
      for (int n : envoyCounts) {
        Result delta = propagation(xds.port(), n, "d", Sidecar.Ads.DELTA);
        Result sotw = propagation(xds.port(), n, "s", Sidecar.Ads.SOTW);
        delta.print(n, "Tether, delta ADS (agent)");
        sotw.print(n, "Tether, state of the world");
        System.out.printf(Locale.ROOT, "%-7d %-28s %9.2f %9.2f%n", n, "baseline: the write itself",
            delta.writes().getValueAtPercentile(50) / 1000.0, delta.writes().getValueAtPercentile(99) / 1000.0);
      }
      System.out.printf(Locale.ROOT, "%n%-24s %12s %14s%n", "services in namespace", "Envoy RSS", "start->ready");
      for (int size : prepend(0, sizes)) {
        cost(xds.port(), size);
      }
    } finally {
      etcd.close();
    }
    return 0;
  }

  /** Starts n Envoys on the server at {@code port}, then times each endpoint write to every Envoy's /clusters. */
  private Result propagation(int port, int n, String arm, Sidecar.Ads ads) throws Exception {
    List<Sidecar> envoys = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        envoys.add(Sidecar.start(envoy, dir, arm + n + "-" + i, NS, port, TOKEN, ads));
      }
      await(() -> envoys.stream().allMatch(Sidecar::ready), n + " Envoys ready");
      for (int i = 0; i < 3; i++) {
        write(envoys, new Histogram(3)); // warm-up: JIT, connections (result dropped)
      }
      Histogram h = new Histogram(3);
      Histogram own = new Histogram(3);
      CpuTime before = CpuTime.now(-1);
      for (int i = 0; i < writes; i++) {
        own.recordValue(write(envoys, h));
      }
      CpuTime after = CpuTime.now(-1);
      return new Result(h, own, after.serverMicrosSince(before) / writes / 1e3, n);
    } finally {
      envoys.forEach(Sidecar::close);
    }
  }

  /**
   * One endpoint added to {@code web}; records, per Envoy, the microseconds until its /clusters lists
   * it, and returns the write's own latency in microseconds.
   */
  private long write(List<Sidecar> envoys, Histogram h) throws Exception {
    int port = nextPort++;
    long start = System.nanoTime();
    store.putEndpoint(NS, "web", "ep" + port, new Endpoint("127.0.0.1", port, null, null, null, null, null, null),
        Precondition.NONE).get(5, TimeUnit.SECONDS);
    long written = (System.nanoTime() - start) / 1000;
    List<Sidecar> waiting = new ArrayList<>(envoys);
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(waiting.size() + " Envoys did not apply endpoint :" + port + " within 30 s");
      }
      waiting.removeIf(e -> {
        boolean applied = e.hasEndpoint(CLUSTER, "127.0.0.1:" + port);
        if (applied) {
          h.recordValue((System.nanoTime() - start) / 1000);
        }
        return applied;
      });
      if (!waiting.isEmpty()) {
        Thread.sleep(1); // pacing: a sweep of admin polls every millisecond, not a spin that starves the Envoys
      }
    }
    return written;
  }

  /** One Envoy in a namespace of {@code size} services: its RSS once ready, and its time to /ready. */
  private void cost(int xdsPort, int size) throws Exception {
    String ns = "size" + size;
    namespace(ns, size);
    try (Sidecar e = Sidecar.start(envoy, dir, "cost-" + size, ns, xdsPort, TOKEN, Sidecar.Ads.DELTA)) {
      await(e::ready, "Envoy ready with " + size + " services");
      double readyMs = e.sinceStart() / 1e6;
      System.out.printf(Locale.ROOT, "%-24d %9.1f MB %11.0f ms%n", size, e.rssBytes() / 1e6, readyMs);
    }
  }

  /** A namespace of {@code size} http services with one alias and one endpoint each; the first is {@code web}. */
  private void namespace(String ns, int size) throws Exception {
    store.putNamespace(new Namespace(ns, null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
    for (int i = 0; i < size; i++) {
      String name = i == 0 && ns.equals(NS) ? "web" : "svc" + i;
      store.putService(ns, new ServiceSpec(name, "http", AppProtocol.HTTP, List.of(new ClientAlias(name, 8080)), null,
          ServicePolicy.EMPTY), Precondition.NONE).get(5, TimeUnit.SECONDS);
      store.putEndpoint(ns, name, "e0", new Endpoint("127.0.0.1", 1, null, null, null, null, null, null),
          Precondition.NONE).get(5, TimeUnit.SECONDS);
    }
  }

  private static List<Integer> prepend(int first, List<Integer> rest) {
    List<Integer> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }

  private record Result(Histogram h, Histogram writes, double serverCpuMs, int envoys) {
    double ms(double percentile) {
      return h.getValueAtPercentile(percentile) / 1000.0;
    }

    void print(int n, String arm) {
      System.out.printf(Locale.ROOT, "%-7d %-28s %9.2f %9.2f %15.2f ms %9.3f ms%n", n, arm, ms(50), ms(99),
          serverCpuMs, serverCpuMs / envoys);
    }
  }
}
