package io.tether.agent.process;

import io.tether.process.BoundChildren;
import io.tether.process.PortOwner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's app: started bound to the agent, its output passed through the agent (which keeps the
 * last lines of it), and stopped with SIGTERM, then SIGKILL after a grace.
 */
public final class AppProcess {
  private static final Logger log = LoggerFactory.getLogger(AppProcess.class);
  private static final int TAIL_LINES = 20;
  /** How long to wait for the last output of an app that has exited (a child of it may hold its stdout). */
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);

  private final Process process;
  private final OutputTail output;

  private AppProcess(Process process) {
    this.process = process;
    this.output = OutputTail.follow(process, TAIL_LINES);
  }

  /**
   * Starts the app with the agent's environment plus {@code environment}, and the agent's stdin; its
   * stdout and stderr are pipes that {@link OutputTail} passes on.
   */
  public static AppProcess start(List<String> command, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    return new AppProcess(BoundChildren.shared().start(builder));
  }

  /**
   * An app whose port is taken would die with EADDRINUSE while the health check (on 127.0.0.1:port)
   * found whoever holds the port healthy, and the agent would register that process in the app's place.
   * The port is tried on the wildcard address, which fails while anyone listens on it on any address.
   */
  public static void requirePortFree(int port) {
    if (!PortOwner.isFree(port)) {
      String holder = PortOwner.listening(port).map(p -> ", held by " + p).orElse("");
      throw new IllegalStateException("the app's port " + port + " is already in use" + holder
          + ": stop that process or give the app another --app-port");
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** SIGTERM, then SIGKILL if it is still running after the grace; returns its exit status. */
  public int stop(Duration grace) throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("app did not stop within {} s of SIGTERM: SIGKILL", grace.toSeconds());
        process.destroyForcibly();
      }
    }
    return process.waitFor();
  }

  /** "the app exited with status 3 {when}", and the last lines it wrote; for an app that has exited. */
  public String exitReport(String when) throws InterruptedException {
    return "the app exited with status " + process.waitFor() + " " + when + OutputTail.report(output.lastLines(OUTPUT_DRAIN));
  }
}
