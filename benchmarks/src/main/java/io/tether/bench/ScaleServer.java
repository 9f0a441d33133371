package io.tether.bench;

import io.tether.bench.fleet.AdsFleet;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.RegistryServer;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.xds.server.XdsServer;
import java.io.BufferedReader;
import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server under test of {@link ScaleBenchmark}, a child JVM of its own so that its CPU, heap and RSS are
 * its own: Tether's registry and xDS server on an etcd, serving ADS itself ({@code --arm tether}) or through a
 * stock java-control-plane {@code SimpleCache} fed the snapshots Tether publishes ({@code --arm stock},
 * {@link StockServer}; one stream of its own keeps the fleet's group rendered). It seeds a namespace of
 * {@code --services} http services with client aliases and two endpoints each, prints {@code XDS <port>},
 * then takes commands on stdin:
 * <ul>
 *   <li>{@code writes W N WARM}: WARM untimed, then W timed endpoint writes (recorded by JFR with
 *       {@code --profile-writes}) to {@code svc0}, one at a time, each
 *       timed from its start to
 *       the EDS ACK of each of N streams; prints {@code RESULT} with the ACK latencies' p50, p99 and max over
 *       all (stream, write) pairs, the median and largest per-write "last ACK", and the process's CPU over
 *       the writes, in microseconds;</li>
 *   <li>{@code heap}: prints {@code HEAP <bytes used after GC>};</li>
 *   <li>{@code await-subscribed N MS}: waits up to MS until exactly N open streams have ACKed an EDS
 *       response, prints {@code SUBSCRIBED <how many have>};</li>
 *   <li>{@code churn RATE SECONDS N}: {@link Churn} at RATE events a second for SECONDS, then waits until each
 *       of N streams' ACKed endpoints equal etcd's ({@link ServedState}); prints {@code CHURN} with write →
 *       ACK p50, p99 and max (µs), how many streams match etcd, and the time from the last write's answer to
 *       the last stream matching (ms);</li>
 *   <li>{@code storm-seed LEASES PER}: {@link LeaseStorm#seed};</li>
 *   <li>{@code await-served N}: waits until N streams hold what etcd holds, prints {@code SERVED matching=M};</li>
 *   <li>{@code storm-revoke N}: revokes every lease at once and prints {@code STORM} with etcd's revoke time
 *       and the time until every stream has ACKed endpoints without them (ms, both from the first
 *       revoke).</li>
 * </ul>
 * With {@code --seeded} it starts on what an earlier server left in etcd (the cold start), and it prints
 * {@code API <port>} (the REST API, its {@code /readyz}) before it serves.
 */
@Command(name = "scale-server", mixinStandardHelpOptions = true)
public final class ScaleServer implements Callable<Integer> {
  static final String NS = "scale";
  static final String TOKEN = "scale-agent-token-0123456789";

  @Option(names = "--etcd", required = true)
  String etcd;

  @Option(names = "--prefix", required = true)
  String prefix;

  @Option(names = "--arm", required = true, description = "tether or stock")
  String arm;

  @Option(names = "--services", defaultValue = "50")
  int services;

  @Option(names = "--profile-writes", description = "record the timed writes with JFR's profile settings into this file")
  Path profile;

  @Option(names = "--xds-port", defaultValue = "0", description = "the port the fleet is served on (0: any)")
  int xdsPort;

  @Option(names = "--api-port", defaultValue = "0", description = "the REST API's port (0: any)")
  int apiPort;

  @Option(names = "--seeded", description = "the namespace is in etcd already: do not seed it")
  boolean seeded;

  private final ServedState served = new ServedState();
  private RegistryServer registry;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleServer()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("agents", TOKEN, Role.AGENT, NS)));
    EdsAcks acks = new EdsAcks();
    boolean stockArm = arm.equals("stock");
    try (RegistryServer registry = new RegistryServer(new RegistryServer.Config(List.of(etcd), prefix, "127.0.0.1",
            apiPort, tokens, Duration.ofSeconds(5), io.tether.registry.api.HttpLimits.defaults())).start();
        XdsServer xds = new XdsServer(new XdsServer.Config("127.0.0.1", stockArm ? 0 : xdsPort, tokens))
            .start(registry.view(), registry.meters(), stockArm ? List.of() : List.of(acks, served))) {
      this.registry = registry;
      System.out.println("API " + registry.apiPort());
      System.out.flush();
      if (!seeded) {
        seed(registry.store());
      }
      StockServer stock = stockArm ? StockServer.start(xds, xdsPort, List.of(acks, served)) : null;
      AutoCloseable feeder = stockArm ? AdsFleet.one(xds.port(), TOKEN, NS, "feeder") : () -> { };
      System.out.println("XDS " + (stockArm ? stock.port() : xds.port()));
      System.out.flush();
      serve(registry.store(), acks);
      feeder.close();
      if (stock != null) {
        stock.close();
      }
    }
    return 0;
  }

  private void serve(RegistryStore store, EdsAcks acks) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.strip().split(" ");
      switch (words[0]) {
        case "writes" -> System.out.println(writes(store, acks, Integer.parseInt(words[1]), Integer.parseInt(words[2]),
            Integer.parseInt(words[3]), profile));
        case "heap" -> System.out.println("HEAP " + usedHeapAfterGc());
        case "await-subscribed" -> System.out.println("SUBSCRIBED "
            + acks.awaitSubscribed(Integer.parseInt(words[1]), Long.parseLong(words[2])));
        case "churn" -> System.out.println(churn(Integer.parseInt(words[1]), Integer.parseInt(words[2]),
            Integer.parseInt(words[3])));
        case "storm-seed" -> System.out.println(stormSeed(Integer.parseInt(words[1]), Integer.parseInt(words[2])));
        case "await-served" -> System.out.println("SERVED matching="
            + awaitConverged(etcdState(), Integer.parseInt(words[1]), 120_000).matching());
        case "storm-revoke" -> System.out.println(stormRevoke(Integer.parseInt(words[1])));
        default -> System.out.println("ERROR unknown command " + words[0]);
      }
      System.out.flush();
    }
  }

  /** W timed writes after {@code warm} untimed ones (JIT, first pushes). */
  private static String writes(RegistryStore store, EdsAcks acks, int w, int n, int warm, Path profile)
      throws Exception {
    Histogram all = new Histogram(3);
    Histogram last = new Histogram(3);
    long cpu = 0;
    Recording recording = null;
    for (int i = 0; i < w + warm; i++) {
      if (i == warm && profile != null) {
        recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
      }
      long cpuBefore = processCpuNanos();
      acks.begin();
      if (i % 2 == 0) {
        store.putEndpoint(NS, "svc0", "extra", new Endpoint("10.9.9.9", 8080, null, null, null, null, null, null),
            Precondition.NONE).get(5, TimeUnit.SECONDS);
      } else {
        store.deleteEndpoint(NS, "svc0", "extra", Precondition.NONE).get(5, TimeUnit.SECONDS);
      }
      int got = acks.await(n, 120_000);
      if (got < n) {
        return "TIMEOUT write " + i + ": " + got + " of " + n + " streams ACKed";
      }
      Histogram h = acks.latencies();
      if (i >= warm) {
        cpu += processCpuNanos() - cpuBefore;
        all.add(h);
        last.recordValue(h.getMaxValue());
      }
    }
    if (recording != null) {
      recording.stop();
      recording.dump(profile);
      recording.close();
    }
    return String.format(Locale.ROOT, "RESULT p50=%d p99=%d max=%d last50=%d lastmax=%d cpu=%d", all.getValueAtPercentile(50),
        all.getValueAtPercentile(99), all.getMaxValue(), last.getValueAtPercentile(50), last.getMaxValue(), cpu / 1_000);
  }

  private String churn(int rate, int seconds, int n) throws Exception {
    Churn churn = new Churn(registry.store(), NS, services, seededEndpoints());
    served.timing(churn.log());
    long started = System.nanoTime();
    long events = churn.run(rate, seconds);
    long wrote = System.nanoTime();
    Map<String, Long> expected = etcdState();
    ServedState.Convergence c = awaitConverged(expected, n, 60_000);
    Histogram h = served.latencies();
    return String.format(Locale.ROOT, "CHURN events=%d seconds=%d failures=%d p50=%d p99=%d max=%d timed=%d "
        + "matching=%d streams=%d converge=%d", events, TimeUnit.NANOSECONDS.toSeconds(wrote - started),
        churn.failures(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), h.getTotalCount(),
        c.matching(), c.streams(), TimeUnit.NANOSECONDS.toMillis(Math.max(0, c.lastChangeNanos() - wrote)));
  }

  private LeaseStorm storm;

  private String stormSeed(int leases, int perLease) throws Exception {
    storm = new LeaseStorm(registry.store(), NS, services);
    storm.seed(leases, perLease);
    return "SEEDED leases=" + leases;
  }

  private String stormRevoke(int n) throws Exception {
    Map<String, Long> expected = new java.util.LinkedHashMap<>();
    seededEndpoints().forEach((i, endpoints) -> expected.put(io.tether.xds.render.ResourceNames.cluster(NS, "svc" + i),
        EndpointSet.of(endpoints.values())));
    long started = System.nanoTime();
    long revoked = storm.revokeAll();
    ServedState.Convergence c = awaitConverged(expected, n, 120_000);
    boolean etcdAsExpected = etcdState().equals(expected);
    return String.format(Locale.ROOT, "STORM revoke=%d dropped=%d matching=%d streams=%d etcd=%d",
        TimeUnit.NANOSECONDS.toMillis(revoked - started), TimeUnit.NANOSECONDS.toMillis(c.lastChangeNanos() - started),
        c.matching(), c.streams(), etcdAsExpected ? 1 : 0);
  }

  private Map<String, Long> etcdState() throws Exception {
    return EtcdEndpoints.fingerprints(registry.etcdClient(), registry.keys(), NS, services);
  }

  /** Polls (every 20 ms, until the deadline) until {@code n} streams hold {@code expected}. */
  private ServedState.Convergence awaitConverged(Map<String, Long> expected, int n, long timeoutMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    ServedState.Convergence c = served.converged(expected);
    while (c.matching() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(20); // the poll's interval; the figure is each stream's own last-change time
      c = served.converged(expected);
    }
    return c;
  }

  /** The two endpoints {@link #seed} gives each service, by service index. */
  private Map<Integer, Map<String, Endpoint>> seededEndpoints() {
    Map<Integer, Map<String, Endpoint>> out = new java.util.HashMap<>();
    for (int i = 0; i < services; i++) {
      Map<String, Endpoint> endpoints = new java.util.TreeMap<>();
      for (int e = 0; e < 2; e++) {
        endpoints.put("e" + e, seedEndpoint(i, e));
      }
      out.put(i, endpoints);
    }
    return out;
  }

  private static Endpoint seedEndpoint(int service, int e) {
    return new Endpoint("10.0." + service + "." + (e + 1), 8080, null, null, null, null, null, null);
  }

  private void seed(RegistryStore store) throws Exception {
    store.putNamespace(new Namespace(NS, null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
    for (int i = 0; i < services; i++) {
      String name = "svc" + i;
      store.putService(NS, new ServiceSpec(name, "http", AppProtocol.HTTP, List.of(new ClientAlias(name, 8080)), null,
          ServicePolicy.EMPTY), Precondition.NONE).get(5, TimeUnit.SECONDS);
      for (int e = 0; e < 2; e++) {
        store.putEndpoint(NS, name, "e" + e, seedEndpoint(i, e), Precondition.NONE).get(5, TimeUnit.SECONDS);
      }
    }
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Runtime rt = Runtime.getRuntime();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
