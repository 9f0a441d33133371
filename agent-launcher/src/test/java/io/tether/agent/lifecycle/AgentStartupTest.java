package io.tether.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tether.agent.testing.AgentRegistry;
import io.tether.agent.testing.AgentUnderTest;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What ends {@code tether agent run} before its endpoint is registered, as a real process against a
 * real registry with the stand-in Envoy: each must end the task at once, say why, and leave nothing
 * running or registered. The start timeout is left at its default (300 s), so a test that waits for
 * it fails.
 */
class AgentStartupTest {
  /** Far below the default start timeout: the agent JVM and the stand-in Envoy start well within it. */
  private static final Duration AT_ONCE = Duration.ofSeconds(30);
  @RegisterExtension
  static final AgentRegistry registry = new AgentRegistry();
  private final Path dir = TestEtcd.tempDir("agent-startup");
  private AgentUnderTest agent;

  private AgentUnderTest agent(String taskId) {
    agent = registry.agent(dir, taskId);
    return agent;
  }

  @Test
  void anAppThatExitsDuringStartUpFailsTheTaskAtOnceWithWhatItWroteLast() throws Exception {
    agent("s1").app("sh", "-c", "echo starting; echo 'cannot open /etc/app.conf' >&2; exit 3").start();

    assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(1);
    assertThat(agent.log()).contains("the app exited with status 3 before becoming healthy")
        .contains("\n    starting").contains("\n    cannot open /etc/app.conf")
        .doesNotContain("never became healthy").doesNotContain("registered a/web/s1");
    assertStoppedCleanly("s1");
  }

  @Test
  void aMissingAppProgramIsReportedInOneLineBeforeAnythingStarts() throws Exception {
    agent("s2").app("no-such-app-program", "--port", "8080").start();

    assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(1);
    String failure = agent.log().lines().filter(l -> l.contains("task failed")).findFirst().orElseThrow(
        () -> new AssertionError("no failure line in:\n" + agent.log()));
    assertThat(failure).endsWith("task failed: the app's program 'no-such-app-program' was not found on PATH ("
        + System.getenv("PATH") + ")");
    assertThat(agent.log().lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))).isEmpty();
    assertThat(agent.journal().lines()).as("Envoy was not even started").isEmpty();
    assertThat(endpoint("s2")).isFalse();
  }

  @Test
  void sigtermWhileTheAppIsStartingStopsTheTaskAtOnce() throws Exception {
    agent("s3");
    Files.writeString(agent.sickFile(), ""); // never healthy: start-up lasts until the signal
    agent.start();
    awaitJournal("app start");

    agent.process().destroy(); // SIGTERM
    assertThat(agent.awaitExit(AT_ONCE)).as("128 + SIGTERM").isEqualTo(143);
    assertThat(agent.journal().lines()).containsSubsequence("app signal TERM", "app exit", "envoy POST /quitquitquit");
    assertThat(agent.log()).contains("SIGTERM received during start-up: stopping");
    assertStoppedCleanly("s3");
  }

  @Test
  void sigtermWhileEnvoyIsStartingStopsTheTaskAtOnce() throws Exception {
    agent("s4").env("FAKE_ENVOY_MODE", "never-ready").start();
    awaitJournal("envoy GET /ready");

    agent.process().destroy(); // SIGTERM
    assertThat(agent.awaitExit(AT_ONCE)).as("128 + SIGTERM").isEqualTo(143);
    assertThat(agent.journal().lines()).as("the app was never started").noneMatch(l -> l.startsWith("app "));
    assertStoppedCleanly("s4");
  }

  @Test
  void anEnvoyThatExitsBeforeItIsReadyFailsTheTaskWithTheLastLinesOfItsLog() throws Exception {
    // In a work dir the agent makes, which is removed with Envoy's log in it when the task ends.
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    agent("s6").without("--work-dir").jvmOption("-Djava.io.tmpdir=" + tmp).env("FAKE_ENVOY_MODE", "exit-at-start").start();

    assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(1);
    assertThat(agent.log()).contains("task failed: envoy exited with 1 before it was ready; its last ")
        .contains("\n    [info][main] fake envoy starting")
        .contains("\n    [critical][main] error initializing configuration '" + tmp.resolve("tether-agent-s6-"));
    assertThat(tmp).as("the work dir, and Envoy's log with it, is gone").isEmptyDirectory();
    assertThat(agent.journal().lines()).as("the app was never started").noneMatch(l -> l.startsWith("app "));
    assertThat(endpoint("s6")).as("never registered").isFalse();
    agent.assertNoChildAlive();
  }

  @Test
  void anAppPortInUseFailsTheTaskBeforeTheAppStartsNamingThePortAndWhoHoldsIt() throws Exception {
    agent("s5");
    // A squatter that passes any health check: before, the agent registered it in the app's place.
    AtomicInteger probes = new AtomicInteger();
    HttpServer squatter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.appPort()), 0);
    squatter.createContext("/", exchange -> {
      probes.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    squatter.start();
    try {
      agent.start();
      assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(1);
      assertThat(agent.log()).contains("task failed: the app's port " + agent.appPort() + " is already in use, held by pid "
          + ProcessHandle.current().pid() + " (");
      assertThat(probes).as("the squatter was never health-checked").hasValue(0);
      assertThat(agent.journal().lines()).as("the app was never started").noneMatch(l -> l.startsWith("app "));
      assertStoppedCleanly("s5");
    } finally {
      squatter.stop(0);
    }
  }

  @Test
  void aMetricsPortGivenAndTakenFailsTheTaskAtOnceNamingIt() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = squatter.getLocalPort();
      agent("s7").flag("--metrics-port", Integer.toString(port)).start();
      assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(1);
      assertThat(agent.log()).contains("task failed: the metrics port 0.0.0.0:" + port + " is taken by pid "
          + ProcessHandle.current().pid() + " (").contains(": give another --metrics-port, or 0 for none");
      assertStoppedCleanly("s7");
    }
  }

  @Test
  void aMetricsPortOutOfRangeIsAUsageError() throws Exception {
    agent("s8").flag("--metrics-port", "70000").start();
    assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(2);
    assertThat(agent.log()).contains("--metrics-port 70000 is not a port number (0 for none, else 1-65535)");
    assertThat(agent.journal().lines()).as("nothing started").isEmpty();
  }

  @Test
  void aMetricsPortThatIsTheIngressPortIsAUsageError() throws Exception {
    agent("s9").flag("--ingress-port", "15999").flag("--metrics-port", "15999").start();
    assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(2);
    assertThat(agent.log()).contains("--metrics-port 15999 is also --ingress-port: give one of them another port "
        + "(--metrics-port 0 for no metrics)");
    assertThat(agent.journal().lines()).as("nothing started").isEmpty();
  }

  @Test
  void aServiceThatDoesNotExistIsOneLineSayingHowToCreateIt() throws Exception {
    agent("s10").flag("--service", "nosuch").start();
    assertThat(agent.awaitExit(AT_ONCE)).isEqualTo(1);
    assertThat(agent.log().lines().filter(l -> l.contains("error:")).toList()).containsExactly("tether: error: could "
        + "not get service a/nosuch: 404 NOT_FOUND: service 'a/nosuch' does not exist; create it with "
        + "`tether svc apply -n a -f SPEC`");
    assertThat(agent.journal().lines()).as("nothing started").isEmpty();
  }

  private void awaitJournal(String event) {
    Poll.until(AT_ONCE, () -> agent.journal().lines().stream().anyMatch(l -> l.startsWith(event)),
        () -> "journal shows '" + event + "'; agent log:\n" + agent.log());
  }

  /** The endpoint is not registered, Envoy was told to quit, the hosts block is gone, no child is alive. */
  private void assertStoppedCleanly(String taskId) throws Exception {
    assertThat(endpoint(taskId)).as("never registered").isFalse();
    assertThat(agent.journal().lines()).contains("envoy POST /quitquitquit");
    assertThat(Files.readString(agent.hostsFile())).as("hosts block removed")
        .isEqualTo("127.0.0.1\tlocalhost\n# keep me\n10.0.0.9 db.internal\n");
    agent.assertNoChildAlive();
  }

  private boolean endpoint(String taskId) {
    return registry.admin().get("/v1/namespaces/a/services/web/endpoints/" + taskId).status() == 200;
  }
}
