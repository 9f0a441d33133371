package io.tether.bench;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Mutual TLS and authorization between real Envoy sidecars (the agent's bootstrap and drain flags,
 * {@code --concurrency 1}) against a Tether server in this JVM, whose xDS server issues the sidecars'
 * certificates over SDS from an in-memory CA (benchmarks/README.md "MtlsBenchmark"):
 * <ul>
 *   <li>{@link HandshakeCost}: requests/s and latency through a caller and a callee sidecar, the
 *       callee STRICT against DISABLED, interleaved, keep-alive and one connection per request;</li>
 *   <li>{@link RuleEnforcement}: from an authorization rule's REST answer to its enforcement at each of
 *       10 callees, against the write's own latency.</li>
 * </ul>
 */
@Command(name = "mtls-bench", mixinStandardHelpOptions = true,
    description = "What mutual TLS and authorization rules cost between real Envoys.")
public final class MtlsBenchmark implements Callable<Integer> {
  private static final String NS = "bench";

  @Option(names = "--requests", description = "requests per arm and run (default ${DEFAULT-VALUE})")
  int requests = 2000;

  @Option(names = "--pairs", description = "interleaved STRICT/DISABLED pairs per workload (default ${DEFAULT-VALUE})")
  int pairs = 5;

  @Option(names = "--concurrency", description = "requests in flight (default ${DEFAULT-VALUE})")
  int concurrency = 8;

  @Option(names = "--callees", description = "callee sidecars of the rule benchmark (default ${DEFAULT-VALUE})")
  int callees = 10;

  @Option(names = "--rounds", description = "measured rounds of rule writes (default ${DEFAULT-VALUE})")
  int rounds = 10;

  public static void main(String[] args) {
    System.exit(new CommandLine(new MtlsBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Optional<Path> bin = Sidecar.binary("mtls");
    if (bin.isEmpty()) {
      return 2;
    }
    if (pairs < 3 || requests < 100 || concurrency < 1 || callees < 1 || rounds < 1) {
      System.err.println("error: --pairs must be at least 3, --requests at least 100, the others at least 1");
      return 2;
    }
    Path dir = Files.createTempDirectory("tether-mtls-bench");
    System.out.printf(Locale.ROOT, "Envoy %s; %d CPUs, load %.1f; concurrency %d, %d requests per run, %d pairs%n%n",
        bin.get(), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), concurrency,
        requests, pairs);
    try (BenchMesh mesh = BenchMesh.start(dir);
        HttpBackend backend = new HttpBackend();
        Callees sidecars = new Callees(mesh, bin.get(), dir, NS, backend.port())) {
      Sidecar caller = sidecars.caller(RuleEnforcement.CALLER);
      new HandshakeCost(sidecars, caller, concurrency, requests, pairs).run();
      System.out.println();
      new RuleEnforcement(mesh, sidecars, callees, rounds).run();
    } finally {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE); // Envoys and etcd are gone by now
    }
    return 0;
  }
}
