package io.tether.agent.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.testing.FakeEnvoy;
import io.tether.agent.testing.Journal;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The Envoy supervisor against a stand-in Envoy that behaves like one at the process level. */
class EnvoySupervisorTest {
  private final Path dir = TestEtcd.tempDir("envoy-supervisor");
  private final Journal journal = new Journal(dir.resolve("journal"));
  private final int adminPort = Ports.free();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private EnvoySupervisor supervisor(String mode, int maxRestarts) throws Exception {
    return supervisor(mode, maxRestarts, Duration.ofSeconds(20));
  }

  private EnvoySupervisor supervisor(String mode, int maxRestarts, Duration readyTimeout) throws Exception {
    Path bootstrap = dir.resolve("bootstrap.json");
    Files.writeString(bootstrap, EnvoyBootstrap.json(EnvoyBootstrap.render(new BootstrapSpec("node-1", "svc", "a",
        List.of(), "127.0.0.1", 18000, "token", adminPort, null))));
    Path binary = FakeEnvoy.install(dir);
    Path wrapper = dir.resolve("envoy-with-env");
    Files.writeString(wrapper, "#!/bin/sh\nTETHER_TEST_JOURNAL='" + journal.path() + "' FAKE_ENVOY_MODE='" + mode
        + "' exec '" + binary + "' \"$@\"\n");
    wrapper.toFile().setExecutable(true);
    EnvoySupervisor.Settings settings = new EnvoySupervisor.Settings(
        new EnvoySupervisor.Launch(wrapper, bootstrap, adminPort, Duration.ofSeconds(1), dir.resolve("envoy.log")),
        readyTimeout,
        new EnvoySupervisor.Restarts(maxRestarts, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(60)));
    return new EnvoySupervisor(settings, new EnvoySupervisor.Listener() {
      @Override
      public void onExited(int exitCode) {
        events.add("exited " + exitCode);
      }

      @Override
      public void onRestarted(int attempt, int exitCode) {
        events.add("restarted " + attempt + " after " + exitCode);
      }

      @Override
      public void onReady() {
        events.add("ready");
      }

      @Override
      public void onGaveUp(int exitCode) {
        events.add("gave up after " + exitCode);
      }
    });
  }

  @Test
  void startsEnvoyWithHotRestartOffAndTheDrainTimeAndWaitsUntilReady() throws Exception {
    try (EnvoySupervisor s = supervisor("normal", 3)) {
      s.start();
      assertThat(s.admin().ready()).isTrue();
      String start = journal.lines().stream().filter(l -> l.startsWith("envoy start")).findFirst().orElseThrow();
      assertThat(start).contains("--disable-hot-restart").contains("--drain-time-s 1").contains("-c ");
    }
  }

  @Test
  void drainFailsHealthChecksThenDrainsListenersAndStopAsksEnvoyToQuit() throws Exception {
    try (EnvoySupervisor s = supervisor("normal", 3)) {
      s.start();
      s.drain();
      s.stop(Duration.ofSeconds(5));
      assertThat(s.isRunning()).isFalse();
      assertThat(journal.lines()).containsSubsequence("envoy POST /healthcheck/fail", "envoy POST /drain_listeners",
          "envoy POST /quitquitquit", "envoy exit");
    }
  }

  @Test
  void anEnvoyThatIgnoresQuitAndSigtermIsKilled() throws Exception {
    try (EnvoySupervisor s = supervisor("hang", 3)) {
      s.start();
      long start = System.nanoTime();
      s.stop(Duration.ofMillis(500));
      assertThat(s.isRunning()).isFalse();
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to get rid of it").isLessThan(5_000);
      assertThat(journal.lines()).containsSubsequence("envoy POST /quitquitquit", "envoy signal TERM");
      assertThat(journal.lines()).doesNotContain("envoy exit");
    }
  }

  @Test
  void aCrashingEnvoyIsRestartedWithGrowingBackOffThenGivenUp() throws Exception {
    try (EnvoySupervisor s = supervisor("crash-after:700", 3)) {
      s.start();
      Poll.until(Duration.ofSeconds(30), () -> events.contains("gave up after 1"), () -> "give up; events " + events);
      // Each stand-in answers /ready for 700 ms before it crashes: every restarted one is seen ready.
      assertThat(events).containsExactly("exited 1", "restarted 1 after 1", "ready", "exited 1", "restarted 2 after 1",
          "ready", "exited 1", "restarted 3 after 1", "ready", "exited 1", "gave up after 1");
      List<Long> gaps = gapsBetweenCrashAndStart();
      assertThat(gaps).hasSize(3);
      assertThat(gaps.get(2)).as("back-off grows: %s", gaps).isGreaterThan(gaps.get(0));
    }
  }

  @Test
  void anEnvoyThatExitsBeforeItIsReadyIsReportedWithTheLastLinesOfItsLog() throws Exception {
    try (EnvoySupervisor s = supervisor("exit-at-start", 0)) {
      assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("envoy exited with 1 before it was ready; its last ")
          .hasMessageContaining("\n    [critical][main] error initializing configuration '" + dir.resolve("bootstrap.json"));
    }
  }

  @Test
  void anEnvoyThatNeverBecomesReadyIsReported() throws Exception {
    try (EnvoySupervisor s = supervisor("never-ready", 0, Duration.ofSeconds(3))) {
      assertThatThrownBy(s::start).isInstanceOf(TimeoutException.class).hasMessageContaining("not ready within 3 s");
    }
  }

  /** Milliseconds from each crash to the next start, from the journal's times. */
  private List<Long> gapsBetweenCrashAndStart() {
    List<Long> gaps = new java.util.ArrayList<>();
    long crashed = -1;
    for (Journal.Entry e : journal.entries()) {
      if (e.text().equals("envoy crash")) {
        crashed = e.atMicros();
      } else if (e.text().startsWith("envoy start") && crashed > 0) {
        gaps.add((e.atMicros() - crashed) / 1_000);
        crashed = -1;
      }
    }
    return gaps;
  }
}
