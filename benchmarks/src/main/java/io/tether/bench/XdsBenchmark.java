package io.tether.bench;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.RegistryApi;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * xDS propagation and stream memory, Tether against stock java-control-plane in one run. The baseline
 * is a V3DiscoveryServer on a SimpleCache fed, through a publish listener, exactly the snapshots
 * Tether publishes; both serve the same grpc-java clients' workload, one arm after the other.
 * Propagation is timed from the registry write to each client's ACK of the EDS update (grpc-java
 * ACKs after applying it). Run: {@code benchmarks/run xds}.
 */
@Command(name = "xds-benchmark", mixinStandardHelpOptions = true)
public final class XdsBenchmark implements Callable<Integer> {
  static final String NS = "bench";
  static final String TOKEN = "bench-agent-token-0123456789";

  @Option(names = "--clients", split = ",", description = "client counts (default ${DEFAULT-VALUE})")
  List<Integer> clientCounts = List.of(1, 100);

  @Option(names = "--writes", description = "endpoint writes per arm (default ${DEFAULT-VALUE})")
  int writes = 30;

  @Option(names = "--baseline-first", description = "run the SimpleCache arm before Tether's (to see order effects)")
  boolean baselineFirst;

  @Option(names = "--streams", description = "idle ADS streams for the memory measurement (default ${DEFAULT-VALUE})")
  int streams = 1000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new XdsBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("tether-xds-bench");
    LocalEtcd etcd = LocalEtcd.single(dir, Ports.free(), Ports.free()).start().awaitHealthy(Duration.ofSeconds(30));
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("agents", TOKEN, Role.AGENT, NS)));
    AckClock tetherAcks = new AckClock();
    AckClock stockAcks = new AckClock();
    try (RegistryServer registry = new RegistryServer(new RegistryServer.Config(List.of(etcd.clientUrl()), "/bench/",
            "127.0.0.1", 0, tokens, Duration.ofSeconds(5), io.tether.registry.api.HttpLimits.defaults())).start();
        XdsServer xds = new XdsServer(new XdsServer.Config("127.0.0.1", 0, tokens))
            .start(registry.view(), registry.meters(), List.of(tetherAcks))) {
      StockServer stock = StockServer.start(xds, 0, List.of(stockAcks));
      Server backend = NettyServerBuilder.forPort(0).addService(Echo.service()).build().start();
      RegistryStore store = registry.store();
      seed(store, backend.getPort());
      // Memory first, on a heap no client has touched yet; one unmeasured round per server first pays
      // the one-time costs (Netty's pooled buffers, class loading, the group's first render).
      memoryPerStream(xds.port(), TOKEN, tetherAcks);
      try (IdleChild feeder = IdleChild.start(xds.port(), 1, TOKEN)) {
        memoryPerStream(stock.port(), "-", stockAcks);
      }
      System.out.printf(Locale.ROOT, "%-34s %12s%n", "idle ADS streams: " + streams, "heap per stream");
      System.out.printf(Locale.ROOT, "%-34s %9.1f KB%n", "Tether (TetherCache)", memoryPerStream(xds.port(), TOKEN, tetherAcks));
      try (IdleChild feeder = IdleChild.start(xds.port(), 1, TOKEN)) { // keeps the Envoy group's snapshots coming
        System.out.printf(Locale.ROOT, "%-34s %9.1f KB%n%n", "stock SimpleCache", memoryPerStream(stock.port(), "-", stockAcks));
      }
      System.out.printf(Locale.ROOT, "xDS: namespace of 20 grpc services, clients call echo:8080; %d writes per arm;"
          + " %d CPUs%n%n", writes, Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "%-8s %-34s %10s %10s%n", "clients", "registry write -> client ACK", "p50 ms", "p99 ms");
      // Warm both arms up at the largest client count (JIT, thread pools, heap growth): measured, the
      // arm that ran first at 100 clients was ~35% slower whichever it was.
      int saved = writes;
      writes = 10;
      int most = clientCounts.stream().max(Integer::compare).orElse(1);
      propagation(store, xds.port(), TOKEN, tetherAcks, most, backend.getPort());
      GrpcXdsClient warmFeeder = new GrpcXdsClient(xds.port(), NS, TOKEN, "echo:8080");
      propagation(store, stock.port(), null, stockAcks, most, backend.getPort());
      warmFeeder.close();
      writes = saved;
      for (int n : clientCounts) {
        Histogram tether = baselineFirst ? null : propagation(store, xds.port(), TOKEN, tetherAcks, n, backend.getPort());
        // Tether renders only groups with streams: this client keeps the group, and so the feed to the
        // SimpleCache, alive while the baseline arm runs. Its ACKs count on Tether's clock only.
        GrpcXdsClient feeder = new GrpcXdsClient(xds.port(), NS, TOKEN, "echo:8080");
        Histogram baseline = propagation(store, stock.port(), null, stockAcks, n, backend.getPort());
        feeder.close();
        if (tether == null) {
          tether = propagation(store, xds.port(), TOKEN, tetherAcks, n, backend.getPort());
        }
        row(n, "Tether (TetherCache)", tether);
        row(n, "stock SimpleCache, same snapshots", baseline);
        System.out.printf(Locale.ROOT, "%-8d %-34s %9.2fx %9.2fx%n", n, "ratio Tether / SimpleCache",
            ms(tether, 50) / ms(baseline, 50), ms(tether, 99) / ms(baseline, 99));
      }
      stock.close();
      backend.shutdownNow();
    } finally {
      etcd.close();
    }
    return 0;
  }

  /** A namespace of 20 grpc services; echo has one endpoint on the local backend. */
  private static void seed(RegistryStore store, int backendPort) throws Exception {
    store.putNamespace(new Namespace(NS, null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 20; i++) {
      String name = i == 0 ? "echo" : "svc" + i;
      store.putService(NS, new ServiceSpec(name, "grpc", AppProtocol.GRPC, List.of(new ClientAlias(name, 8080)), null,
          ServicePolicy.EMPTY), Precondition.NONE).get(5, TimeUnit.SECONDS);
    }
    store.putEndpoint(NS, "echo", "e0", endpoint(backendPort), Precondition.NONE).get(5, TimeUnit.SECONDS);
  }

  private static Endpoint endpoint(int port) {
    return new Endpoint("127.0.0.1", port, null, null, null, null, null, null);
  }

  /** Connects n clients, then times each registry write to every client's ACK of the EDS update. */
  private Histogram propagation(RegistryStore store, int port, String token, AckClock acks, int n, int backendPort)
      throws Exception {
    acks.reset();
    List<GrpcXdsClient> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(new GrpcXdsClient(port, NS, token, "echo:8080"));
    }
    await(() -> acks.streamsWithAck() >= n, "all " + n + " clients subscribed to EDS");
    Histogram h = new Histogram(3);
    for (int w = 0; w < writes + 3; w++) {
      long start = System.nanoTime();
      if (w % 2 == 0) {
        // Another address of the same backend: grpc-java rejects assignments with duplicate addresses.
        store.putEndpoint(NS, "echo", "extra", new Endpoint("127.0.0.2", backendPort, null, null, null, null, null, null),
            Precondition.NONE).get(5, TimeUnit.SECONDS);
      } else {
        store.deleteEndpoint(NS, "echo", "extra", Precondition.NONE).get(5, TimeUnit.SECONDS);
      }
      await(() -> acks.acksSince(start).size() >= n, "all clients ACK write " + w);
      if (w >= 3) {
        acks.acksSince(start).forEach(t -> h.recordValue(Math.max(1, (t - start) / 1000)));
      }
    }
    clients.forEach(GrpcXdsClient::close);
    return h;
  }

  /** Server heap growth per idle stream, with the streams opened by a child JVM. */
  private double memoryPerStream(int port, String token, AckClock acks) throws Exception {
    acks.reset();
    long before = usedHeapAfterGc();
    try (IdleChild child = IdleChild.start(port, streams, token)) {
      await(() -> acks.streamsWithAck() >= streams, streams + " idle streams ACKed");
      return (usedHeapAfterGc() - before) / 1024.0 / streams;
    }
  }

  /** A child JVM holding idle ADS streams open until closed. */
  private record IdleChild(Process process) implements AutoCloseable {
    static IdleChild start(int port, int n, String token) throws Exception {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss256k",
          "-cp", System.getProperty("java.class.path"), IdleStreams.class.getName(), Integer.toString(port),
          Integer.toString(n), token, NS).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) {
        System.err.println("idle streams: " + line);
      }
      return new IdleChild(p);
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      Runtime rt = Runtime.getRuntime();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for: " + what);
      }
      Thread.sleep(1);
    }
  }

  private static void row(int n, String what, Histogram h) {
    System.out.printf(Locale.ROOT, "%-8d %-34s %10.2f %10.2f%n", n, what, ms(h, 50), ms(h, 99));
  }

  private static double ms(Histogram h, double p) {
    return h.getValueAtPercentile(p) / 1000.0;
  }
}
