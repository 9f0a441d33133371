package io.tether.agent.envoy;

import io.tether.agent.process.OutputTail;
import io.tether.process.BoundChildren;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Envoy: starts it with hot restart off and the agent's drain time, waits for {@code /ready},
 * restarts it with exponential back-off when it crashes (the count resets once it has run a while),
 * telling the agent at once that it went down and later that the new one is ready, and gives up after a
 * limit, telling the agent so that the task fails and is deregistered. Thread-safe.
 */
public final class EnvoySupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EnvoySupervisor.class);
  private static final int LOG_TAIL_LINES = 20;
  private static final long READY_POLL_MILLIS = 25;

  /**
   * How to run Envoy, how long it has to become ready, and how hard to try keeping it up.
   *
   * @param readyTimeout how long a started Envoy has to answer {@code /ready}
   */
  public record Settings(Launch launch, Duration readyTimeout, Restarts restarts) {}

  /**
   * One Envoy's command line and output: {@code log} gets its stderr, the agent's stdout its stdout.
   *
   * @param drainTime Envoy's {@code --drain-time-s} (at least 1 s)
   * @param environment set for Envoy over the agent's own ({@link TracingEnvironment})
   */
  public record Launch(Path binary, Path bootstrap, int adminPort, Duration drainTime, Path log,
      java.util.Map<String, String> environment) {
    public Launch {
      environment = java.util.Map.copyOf(environment);
    }

    /** With the agent's environment as it is. */
    public Launch(Path binary, Path bootstrap, int adminPort, Duration drainTime, Path log) {
      this(binary, bootstrap, adminPort, drainTime, log, java.util.Map.of());
    }
  }

  /**
   * When a crashed Envoy is restarted: after {@code initialBackoff}, doubling up to {@code maxBackoff};
   * the count of crashes resets once one has run {@code stableAfter}; after {@code max} in a row the
   * supervisor gives up.
   */
  public record Restarts(int max, Duration initialBackoff, Duration maxBackoff, Duration stableAfter) {}

  /** What the agent hears about Envoy's life, in order, on the supervisor's thread: it should not block. */
  public interface Listener {
    /** Envoy exited unexpectedly (not stopped by the agent): heard at once, before any restart back-off. */
    void onExited(int exitCode);

    /** A new Envoy was started after a crash; it is not ready yet. */
    void onRestarted(int attempt, int exitCode);

    /** A restarted Envoy answers {@code /ready}. */
    void onReady();

    void onGaveUp(int exitCode);
  }

  private final Settings settings;
  private final Listener listener;
  private final EnvoyAdmin admin;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-envoy-supervisor");
    t.setDaemon(true);
    return t;
  });
  private volatile Process process;
  private volatile boolean stopping;
  private int failures;
  private Instant startedAt;

  public EnvoySupervisor(Settings settings, Listener listener) {
    this.settings = settings;
    this.listener = listener;
    this.admin = new EnvoyAdmin(settings.launch().adminPort());
  }

  public EnvoyAdmin admin() {
    return admin;
  }

  /** Starts Envoy and waits until it is ready; throws when it exits or is not ready in time. */
  public void start() throws TimeoutException, InterruptedException {
    launch();
    awaitReady(process);
  }

  /** Fails Envoy's health checks and drains its listeners gracefully (over the configured drain time). */
  public void drain() {
    admin.failHealthChecks();
    admin.drainListeners();
  }

  /** Asks Envoy to quit, then SIGTERM, then SIGKILL, each after {@code grace}; no restart after this. */
  public void stop(Duration grace) throws InterruptedException {
    stopping = true;
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    admin.quit();
    if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroy();
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(2));
    timer.shutdownNow();
  }

  private void launch() {
    List<String> command = List.of(settings.launch().binary().toString(),
        "-c", settings.launch().bootstrap().toString(),
        "--disable-hot-restart",
        "--drain-time-s", Long.toString(Math.max(1, settings.launch().drainTime().toSeconds())),
        "--drain-strategy", "immediate",
        "--log-level", "info");
    // Envoy's stdout is nothing but its access log: inherited, each Envoy (a restarted one too) writes
    // its lines straight into the agent's stdout, with the task's logs. Its own log (stderr) is
    // diagnostics, kept out of the agent's stream in a file whose tail goes into failure reports.
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.appendTo(settings.launch().log().toFile()));
    builder.environment().putAll(settings.launch().environment());
    Process p = BoundChildren.shared().start(builder); // dies with the agent, however it ends
    process = p;
    startedAt = Instant.now();
    p.onExit().thenAcceptAsync(this::exited, timer); // all restart state lives on the timer thread
    log.info("envoy started (pid {})", p.pid());
  }

  private void awaitReady(Process p) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    while (!admin.ready()) {
      if (!p.isAlive()) {
        throw new IllegalStateException("envoy exited with " + p.exitValue() + " before it was ready" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("envoy was not ready within " + settings.readyTimeout().toSeconds() + " s" + logTail());
      }
      Thread.sleep(READY_POLL_MILLIS);
    }
  }

  /**
   * A restarted Envoy's readiness, polled on the timer thread without blocking it, so that its exit
   * meanwhile is handled as any other. One that is not ready in time is killed: that counts as a crash.
   */
  private void pollReady(Process p, long deadline) {
    if (stopping || p != process || !p.isAlive()) {
      return; // stopped, or it exited: exited() takes it from there
    }
    if (admin.ready()) {
      log.info("restarted envoy (pid {}) is ready", p.pid());
      listener.onReady();
    } else if (System.nanoTime() > deadline) {
      log.warn("restarted envoy was not ready within {} s: killing it", settings.readyTimeout().toSeconds());
      p.destroyForcibly();
    } else {
      timer.schedule(() -> pollReady(p, deadline), READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Envoy's last words, for a report that it failed: the log itself may be gone soon after (a work dir
   * the agent made is removed when the task ends), so the cause must travel in the message.
   */
  private String logTail() {
    return OutputTail.report(OutputTail.lastLinesOf(settings.launch().log(), LOG_TAIL_LINES));
  }

  private void exited(Process p) {
    if (stopping || p != process) {
      return;
    }
    int code = p.exitValue();
    listener.onExited(code);
    if (Duration.between(startedAt, Instant.now()).compareTo(settings.restarts().stableAfter()) > 0) {
      failures = 0; // it ran well for a while: this is a fresh failure, not a crash loop
    }
    failures++;
    if (failures > settings.restarts().max()) {
      log.error("envoy exited with {} and has failed {} times in a row: giving up{}", code, failures, logTail());
      timer.execute(() -> listener.onGaveUp(code));
      return;
    }
    long delay = Math.min(settings.restarts().maxBackoff().toMillis(), settings.restarts().initialBackoff().toMillis() << (failures - 1));
    log.warn("envoy exited with {}; restarting in {} ms (attempt {} of {})", code, delay, failures, settings.restarts().max());
    int attempt = failures;
    timer.schedule(() -> {
      if (stopping) {
        return;
      }
      launch();
      listener.onRestarted(attempt, code);
      pollReady(process, System.nanoTime() + settings.readyTimeout().toNanos());
    }, delay, TimeUnit.MILLISECONDS);
  }
}
