package io.tether.testbed.demo;

import io.tether.testbed.NetnsHosts;
import io.tether.testbed.SampleApp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tether demo}: a Tether server, two tasks of service {@code web} and a calling task, each
 * run by {@code tether agent run} beside a real Envoy, on hosts of their own when it can make them
 * (root: network namespaces) or on this machine's loopback; then the {@link Story}. The mesh runs
 * until Ctrl-C, which stops every task (draining it) and the server, and removes the hosts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a small mesh of real Envoy sidecars on this machine and show what it does.")
public final class DemoMain implements Callable<Integer> {
  private static final String CALLER = "c";

  @Option(names = "--tether", description = "The tether script that starts the server and agents (./tether demo "
      + "passes itself); without it, their main classes on this classpath")
  Path tether;

  @Option(names = "--dir", defaultValue = ".tether/demo", description = "Logs and state, emptied first (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--loopback", description = "Put every task on this machine's loopback, even as root")
  boolean loopback;

  @Option(names = "--rate", defaultValue = "20", description = "The caller's calls per second (default: ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--exit-after-story", description = "Stop after the story; exit 1 if a claim did not hold")
  boolean exitAfterStory;

  private final PrintStream out = System.out;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Tallies tallies = new Tallies();

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    emptyDir();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "demo-stop"));
    try {
      DemoHosts hosts = hosts();
      DemoServer server = started(DemoServer.start(new Launcher(tether), dir, hosts.serverAddress));
      out.printf("[server] tether server: API %s, xDS %s, local etcd; logs in %s%n", server.apiUrl, server.xdsAddress, dir);
      server.put("/v1/namespaces/" + DemoServer.NAMESPACE, Map.of("description", "tether demo"));
      server.put("/v1/namespaces/" + DemoServer.NAMESPACE + "/services/web", Story.webSpec(Map.of()));
      Story story = new Story(server, tallies, startTasks(hosts, server), out);
      out.printf("[service] demo/web: http, alias web:8080 on VIP %s; w1 and w2 are HEALTHY%n", story.vip());
      List<String> broken = story.run();
      if (exitAfterStory) {
        return broken.isEmpty() ? 0 : 1;
      }
      hints(hosts, server, story.vip());
      while (true) {
        out.println("    " + tallies.next().line());
      }
    } finally {
      stopAll();
    }
  }

  private DemoHosts hosts() {
    List<String> names = List.of(CALLER, "w1", "w2");
    Optional<String> why = loopback ? Optional.of("--loopback") : NetnsHosts.unavailable();
    DemoHosts hosts = started(why.isEmpty() ? DemoHosts.namespaces(names) : DemoHosts.loopback(names));
    out.println("[hosts] " + (hosts.isolated() ? "one network namespace per task" : "every task on this machine's loopback ("
        + why.get() + "); their sidecars share each alias's address"));
    for (String name : names) {
      out.printf("    %-3s %s%n", name, hosts.host(name).where());
    }
    return hosts;
  }

  /** Starts w1 and w2 (service web, a SampleApp each) and the caller; returns once w1 and w2 are HEALTHY. */
  private Map<String, DemoTask> startTasks(DemoHosts hosts, DemoServer server) throws Exception {
    DemoTask.ControlPlane cp = new DemoTask.ControlPlane(new Launcher(tether), server.apiUrl, server.xdsAddress, server.agentTokenFile);
    Map<String, DemoTask> backends = new LinkedHashMap<>();
    for (String name : Story.BACKENDS) {
      DemoHosts.Host host = hosts.host(name);
      backends.put(name, started(DemoTask.start(hosts, host, cp, dir, Optional.of("web"), Optional.empty(),
          app(List.of(), SampleApp.class, name, Integer.toString(host.appPort())), line -> {})));
    }
    Path hostsFile = dir.resolve("hosts-" + CALLER);
    Files.writeString(hostsFile, "127.0.0.1\tlocalhost\n");
    started(DemoTask.start(hosts, hosts.host(CALLER), cp, dir, Optional.empty(), Optional.of(hostsFile),
        app(List.of("-Djdk.net.hosts.file=" + hostsFile, "-Dsun.net.inetaddr.ttl=0", "-Dsun.net.inetaddr.negative.ttl=0"),
            DemoCaller.class, "http://web:8080/", Integer.toString(rate)), tallies::offer));
    out.printf("[tasks] tether agent run, three times (commands in %s/task-*.log)%n", dir);
    for (String name : Story.BACKENDS) {
      Waits.until(Duration.ofSeconds(120), () -> server.status(endpoint(name)) == 200
          && server.get(endpoint(name)).path("health").asText().equals("HEALTHY"), name + " HEALTHY");
    }
    return backends;
  }

  private static String endpoint(String id) {
    return "/v1/namespaces/" + DemoServer.NAMESPACE + "/services/web/endpoints/" + id;
  }

  /** A small JVM running {@code main} from this demo's classpath, with system properties {@code props}. */
  private static List<String> app(List<String> props, Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path")));
    command.addAll(props);
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }

  private void hints(DemoHosts hosts, DemoServer server, String vip) throws IOException {
    Path env = dir.resolve("env");
    Files.writeString(env, "export TETHER_SERVER=" + server.apiUrl + "\nexport TETHER_TOKEN=" + server.adminToken() + "\n");
    out.printf("%nThe mesh keeps running; Ctrl-C stops it and cleans up. Meanwhile, in another shell:%n");
    out.printf("  . %s && ./tether ep list -n demo web     # the endpoints and their health%n", env);
    out.printf("  %scurl -s http://%s:8080/               # a call through the caller's sidecar%n",
        hosts.shellPrefix(hosts.host(CALLER)), vip);
    out.printf("  %scurl -s localhost:%d/config_dump | less  # what the caller's Envoy was given%n%n",
        hosts.shellPrefix(hosts.host(CALLER)), hosts.host(CALLER).adminPort());
  }

  private <T extends AutoCloseable> T started(T thing) {
    synchronized (running) {
      running.add(thing);
    }
    return thing;
  }

  /** Stops the tasks first (the caller, then the backends, all at once), then the server, then the hosts. */
  private void stopAll() {
    List<AutoCloseable> all;
    synchronized (running) {
      all = new ArrayList<>(running);
      running.clear();
    }
    all.stream().filter(DemoTask.class::isInstance).map(DemoTask.class::cast).forEach(DemoTask::stop);
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (Exception e) {
        System.err.println("demo: stopping " + all.get(i) + ": " + e);
      }
    }
  }

  private void emptyDir() throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
