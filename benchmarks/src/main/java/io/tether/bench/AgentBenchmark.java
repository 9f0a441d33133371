package io.tether.bench;

import io.tether.main.TetherServer;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.store.Precondition;
import io.tether.xds.server.XdsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent's own cost beside each task (docs/scale.md "The agent's own cost"): agent JVMs started as
 * the launcher starts them, against a Tether server in this JVM on its own etcd, each beside a real
 * Envoy it supervises. Every figure of an arm (a set of JVM flags) is set against the first arm (the
 * JVM's defaults), measured in the same run, the arms interleaved round by round.
 * <ul>
 *   <li>per task: N {@code tether agent run} tasks started at once; each agent JVM's RSS once steady
 *       (after {@code --settle}), its Envoy's RSS apart, and its times from exec to starting Envoy, to
 *       its Envoy being ready (its first config from xDS applied: the agent's readiness) and to its
 *       endpoint being registered;</li>
 *   <li>host agent: one {@code tether agent host} with 1, 10, 50 tasks added to its host one count
 *       after the other ({@link RelayedTask}), its RSS at each count and the marginal cost of a task.</li>
 * </ul>
 */
@Command(name = "agent-bench", mixinStandardHelpOptions = true, description = "The agent's own cost beside each task.")
public final class AgentBenchmark implements Callable<Integer> {
  private static final String ADMIN = "bench-admin-token-0123456789";
  private static final String AGENT = "bench-agent-token-0123456789";
  private static final double MIB = 1024 * 1024;
  private static final Duration UP = Duration.ofSeconds(240);

  @Option(names = "--tasks", split = ",", description = "tasks on the host (default ${DEFAULT-VALUE})")
  List<Integer> counts = List.of(1, 10, 50);

  @Option(names = "--rounds", description = "rounds per count, each running every arm once, the order reversed "
      + "every other round (default ${DEFAULT-VALUE})")
  int rounds = 2;

  @Option(names = "--settle", description = "seconds from the last task up to reading memory (default ${DEFAULT-VALUE})")
  int settle = 20;

  @Option(names = "--at-once", description = "per-task agents starting at a time, at most (default: all of a count)")
  int atOnce = Integer.MAX_VALUE;

  @Option(names = "--arm", paramLabel = "NAME=FLAGS", description = "an arm: its JVM flags, space-separated; "
      + "the first is the baseline (default: defaults= and tuned=, the flags ./tether passes: @deploy/agent-jvm.options "
      + "and, when present, -XX:SharedArchiveFile=agent-launcher/target/agent.jsa)")
  List<String> arms = new ArrayList<>();

  @Option(names = "--modes", split = ",", description = "per-task, host (default ${DEFAULT-VALUE})")
  List<String> modes = List.of("per-task", "host");

  @Option(names = "--nmt", description = "then one task per arm with -XX:NativeMemoryTracking=summary: where its memory goes")
  boolean nmt;

  @Option(names = "--classpath", description = "the agent's classpath (default: the built agent-launcher's jar and lib/*)")
  String classpath = "agent-launcher/target/tether-agent-launcher-0.1.0-SNAPSHOT.jar:agent-launcher/target/lib/*";

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    java.util.Optional<Path> envoy = Sidecar.binary("agent");
    if (envoy.isEmpty()) {
      return 2;
    }
    List<JvmArm> jvmArms = (arms.isEmpty() ? List.of("defaults=", "tuned=" + launcherFlags()) : arms).stream()
        .map(JvmArm::parse).toList();
    Path dir = Files.createTempDirectory("tether-agent-bench");
    LocalEtcd etcd = LocalEtcd.single(dir.resolve("etcd"), Ports.free(), Ports.free()).start()
        .awaitHealthy(Duration.ofSeconds(30));
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("admin", ADMIN, Role.ADMIN, null),
        new TokenFile.Entry("agents", AGENT, Role.AGENT, AgentMesh.NS)));
    try (TetherServer server = new TetherServer(new RegistryServer.Config(List.of(etcd.clientUrl()), "/bench/",
        "127.0.0.1", 0, tokens, Duration.ofSeconds(5), HttpLimits.defaults()),
        new XdsServer.Config("127.0.0.1", 0, tokens), "bench").start()) {
      AgentMesh mesh = mesh(server, dir, envoy.get());
      header(mesh, jvmArms);
      if (modes.contains("per-task")) {
        perTask(mesh, jvmArms);
      }
      if (modes.contains("host")) {
        host(mesh, jvmArms);
      }
      if (nmt) {
        NativeMemory.print(mesh, jvmArms, settle);
      }
    } finally {
      etcd.close();
      delete(dir);
    }
    return 0;
  }

  /** Removes the run's directory: the agents' logs and work dirs, etcd's data. */
  private static void delete(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The flags tools/agent-jvm.sh gives the agent when TETHER_AGENT_JAVA_OPTS does not replace them. */
  private static String launcherFlags() {
    Path archive = Path.of("agent-launcher/target/agent.jsa");
    return "@deploy/agent-jvm.options" + (Files.isRegularFile(archive) ? " -XX:SharedArchiveFile=" + archive : "");
  }

  private AgentMesh mesh(TetherServer server, Path dir, Path envoy) throws Exception {
    server.registry().store().putNamespace(new Namespace(AgentMesh.NS, null, null), Precondition.NONE)
        .get(5, TimeUnit.SECONDS);
    server.registry().store().putService(AgentMesh.NS, new ServiceSpec(AgentMesh.SERVICE, "http", AppProtocol.HTTP,
        List.of(new ClientAlias(AgentMesh.SERVICE, Ports.free())), null, ServicePolicy.EMPTY), Precondition.NONE)
        .get(5, TimeUnit.SECONDS);
    Path token = Files.writeString(dir.resolve("agent.token"), AGENT);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    return new AgentMesh(dir, envoy, classpath, "http://127.0.0.1:" + server.registry().apiPort(), server.xds().port(),
        token);
  }

  private void header(AgentMesh mesh, List<JvmArm> jvmArms) throws Exception {
    System.out.printf(Locale.ROOT, "Envoy %s; %d CPUs, load %.1f; %d rounds, memory read %d s after the last task is up%n",
        mesh.envoy(), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rounds, settle);
    for (JvmArm arm : jvmArms) {
      System.out.println("arm " + arm + (arm.flags().stream().anyMatch(f -> f.startsWith("@"))
          ? ": " + String.join(" ", ArgFile.expand(arm.flags())) : ""));
    }
  }

  /** N agent-run tasks per arm and round, each set started fresh. */
  private void perTask(AgentMesh mesh, List<JvmArm> jvmArms) throws Exception {
    System.out.printf(Locale.ROOT, "%nPer-task agents (tether agent run): per task, median over the tasks, then over the "
        + "rounds; %s%n", atOnce == Integer.MAX_VALUE ? "all of a count started at once" : "at most " + atOnce + " starting at a time");
    PerTaskTable table = new PerTaskTable(jvmArms);
    for (int n : counts) {
      for (int round = 0; round < rounds; round++) {
        for (JvmArm arm : order(jvmArms, round)) {
          try (PerTaskAgents tasks = PerTaskAgents.start(mesh, arm, n, atOnce, arm.name() + n + "r" + round)) {
            tasks.awaitRegistered(UP);
            Thread.sleep(settle * 1000L); // the measurement window: memory is read once the agents are steady
            table.add(n, round, arm, tasks.figures());
          }
        }
      }
      table.print(n);
    }
  }

  /** One host agent per arm and round, its tasks added count after count. */
  private void host(AgentMesh mesh, List<JvmArm> jvmArms) throws Exception {
    System.out.printf(Locale.ROOT, "%nHost agent (tether agent host) with its host's tasks relayed: median over the rounds%n");
    HostTable table = new HostTable(jvmArms, counts);
    for (int round = 0; round < rounds; round++) {
      for (JvmArm arm : order(jvmArms, round)) {
        try (HostAgentRun run = HostAgentRun.start(mesh, arm, "host-" + arm.name() + "r" + round)) {
          long started = run.awaitStarted(UP);
          for (int n : counts) {
            run.tasks(n, UP);
            Thread.sleep(settle * 1000L); // the measurement window, as above
            table.add(n, round, arm, run.figures(started), run.taskEnvoysRss());
          }
        }
      }
    }
    table.print();
  }

  /** The arms in order on even rounds, reversed on odd ones: neither arm always runs first. */
  static List<JvmArm> order(List<JvmArm> jvmArms, int round) {
    List<JvmArm> ordered = new ArrayList<>(jvmArms);
    if (round % 2 == 1) {
      java.util.Collections.reverse(ordered);
    }
    return ordered;
  }

  static double mib(double bytes) {
    return bytes / MIB;
  }

  /** Values per arm and round, for medians and for the median of per-round ratios to the first arm. */
  static final class Rounds {
    private final Map<String, Map<Integer, Double>> byArm = new LinkedHashMap<>();

    void put(JvmArm arm, int round, double value) {
      byArm.computeIfAbsent(arm.name(), k -> new LinkedHashMap<>()).put(round, value);
    }

    double median(JvmArm arm) {
      return AgentFigures.median(byArm.getOrDefault(arm.name(), Map.of()).values());
    }

    /** The median over rounds of arm / baseline, each round's pair measured side by side. */
    double ratio(JvmArm arm, JvmArm baseline) {
      Map<Integer, Double> a = byArm.getOrDefault(arm.name(), Map.of());
      Map<Integer, Double> b = byArm.getOrDefault(baseline.name(), Map.of());
      List<Double> ratios = a.keySet().stream().filter(b::containsKey).map(r -> a.get(r) / b.get(r)).toList();
      return AgentFigures.median(ratios);
    }
  }
}
