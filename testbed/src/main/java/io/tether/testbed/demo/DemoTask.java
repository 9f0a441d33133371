package io.tether.testbed.demo;

import io.tether.process.BoundChildren;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One task of the demo: {@code tether agent run} on its host, beside a real Envoy, with the given app.
 * Everything it prints goes to {@code DIR/task-NAME.log}, after the command line that started it; each
 * line is also handed to a listener (the caller's tallies are read that way).
 */
final class DemoTask implements AutoCloseable {
  /** How every task reaches the control plane. */
  record ControlPlane(Launcher launcher, String apiUrl, String xdsAddress, Path tokenFile) {}

  final DemoHosts.Host host;
  private final Process agent;
  private final Thread pump;

  private DemoTask(DemoHosts.Host host, Process agent, String command, Path log, Consumer<String> listener) {
    this.host = host;
    this.agent = agent;
    this.pump = new Thread(() -> pump(command, log, listener), "demo-task-" + host.name());
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code host}'s agent: serving {@code service} with {@code app} on the host's app port, or,
   * with no service, a client-only task whose aliases go to {@code hostsFile}.
   */
  static DemoTask start(DemoHosts hosts, DemoHosts.Host host, ControlPlane cp, Path dir, Optional<String> service,
      Optional<Path> hostsFile, List<String> app, Consumer<String> listener) {
    List<String> command = new ArrayList<>(cp.launcher().agentRun());
    command.addAll(List.of("--control-plane", cp.apiUrl(), "--xds", cp.xdsAddress(), "--token-file", cp.tokenFile().toString(),
        "--namespace", DemoServer.NAMESPACE, "--task-id", host.name(), "--address", host.address(),
        "--admin-port", Integer.toString(host.adminPort()), "--work-dir", dir.resolve("work-" + host.name()).toString(),
        "--hosts-file", hostsFile.map(Path::toString).orElse("none"),
        "--drain-time", "3", "--stop-grace", "3", "--lease-ttl", "5"));
    service.ifPresent(s -> command.addAll(List.of("--service", s, "--app-port", Integer.toString(host.appPort()),
        "--ingress-port", Integer.toString(host.ingressPort()))));
    command.add("--");
    command.addAll(app);
    List<String> onHost = hosts.exec(host, command);
    Process agent = BoundChildren.shared().start(new ProcessBuilder(onHost).redirectErrorStream(true));
    return new DemoTask(host, agent, String.join(" ", onHost), dir.resolve("task-" + host.name() + ".log"), listener);
  }

  /** Copies the agent's output to its log, after the command that started it, and to the listener. */
  private void pump(String command, Path log, Consumer<String> listener) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      out.println("$ " + command);
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.println(line);
        listener.accept(line);
      }
    } catch (Exception e) {
      // the agent is gone or the log cannot be written: nothing more to show
    }
  }

  /** SIGTERM: the agent marks the endpoint DRAINING, lets Envoy drain, stops the app and deregisters. */
  void stop() {
    agent.destroy();
  }

  boolean alive() {
    return agent.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    agent.destroy();
    if (!agent.waitFor(20, TimeUnit.SECONDS)) {
      agent.destroyForcibly().waitFor();
    }
    pump.join(2_000);
  }
}
