package io.tether.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.testing.AgentRegistry;
import io.tether.agent.testing.AgentUnderTest;
import io.tether.agent.testing.FakeApp;
import io.tether.process.ProcessTree;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app started through a shell entrypoint that runs a process in the background: when the agent
 * stops the task, or the app's top process exits, nothing of the app's process tree is left running.
 */
class AgentAppTreeTest {
  private static final Pattern APP_PID = Pattern.compile("app started \\(pid (\\d+)\\)");
  @RegisterExtension
  static final AgentRegistry registry = new AgentRegistry();
  private final Path dir = TestEtcd.tempDir("agent-tree");
  private final List<Long> pids = new ArrayList<>();
  private AgentUnderTest task;

  @AfterEach
  void killWhatTheFixMissed() {
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void sigtermToTheAgentStopsTheShellItsForegroundAppAndItsBackgroundChild() throws Exception {
    Process agent = start("t1", "sleep 300 & echo $! > {bg}; {app}");
    long shell = appPid();
    long background = backgroundPid();
    long app = fakeAppPid();
    assertThat(List.of(shell, background, app)).as("three processes").doesNotHaveDuplicates();

    agent.destroy(); // SIGTERM: drain, then stop the app
    task.awaitExit(Duration.ofSeconds(30));
    Poll.until(Duration.ofSeconds(10), () -> !ProcessTree.isRunning(shell) && !ProcessTree.isRunning(background)
        && !ProcessTree.isRunning(app), () -> "the app's tree is gone; log:\n" + task.log());
    assertThat(task.journal().lines()).contains("app signal TERM");
  }

  @Test
  void whatAnAppThatExitedLeftRunningIsStoppedWithTheTask() throws Exception {
    // The shell execs the app: once the app is killed, the background child's parent is init.
    Process agent = start("t2", "sleep 300 & echo $! > {bg}; exec {app}");
    long background = backgroundPid();
    ProcessHandle.of(appPid()).orElseThrow().destroyForcibly();

    assertThat(task.awaitExit(Duration.ofSeconds(30))).as("the app's status").isEqualTo(137);
    Poll.until(Duration.ofSeconds(10), () -> !ProcessTree.isRunning(background),
        () -> "the background child is gone; log:\n" + task.log());
    assertThat(task.log()).contains("the app has exited; SIGTERM to the 1 process(es) it left running");
    assertThat(agent.isAlive()).isFalse();
  }

  /**
   * Starts the agent with {@code sh -c script} as its app, {@code {bg}} in it the file for the background
   * child's pid and {@code {app}} FakeApp's command, and waits for its endpoint to be HEALTHY.
   */
  private Process start(String taskId, String script) throws Exception {
    task = registry.agent(dir, taskId);
    String app = FakeApp.install(dir) + " " + task.appPort();
    task.app("sh", "-c", script.replace("{bg}", dir.resolve("bg.pid").toString()).replace("{app}", app));
    Process agent = task.start();
    pids.add(agent.pid());
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health(taskId)), () -> "registered; log:\n" + task.log());
    return agent;
  }

  private String health(String id) {
    ApiClient.Response r = registry.admin().get("/v1/namespaces/a/services/web/endpoints/" + id);
    return r.status() == 200 ? r.body().path("health").asText("HEALTHY") : "ABSENT";
  }

  /** The top process of the app, as the agent logged it. */
  private long appPid() {
    Matcher m = APP_PID.matcher(task.log());
    assertThat(m.find()).as("the agent logged the app's pid; log:\n%s", task.log()).isTrue();
    return remember(Long.parseLong(m.group(1)));
  }

  private long backgroundPid() throws Exception {
    return remember(Long.parseLong(Files.readString(dir.resolve("bg.pid")).strip()));
  }

  private long fakeAppPid() {
    return remember(task.childPids().stream().filter(pid -> pid != task.envoyPid()).findFirst().orElseThrow());
  }

  private long remember(long pid) {
    pids.add(pid);
    return pid;
  }
}
