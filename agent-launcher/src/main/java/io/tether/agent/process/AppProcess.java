package io.tether.agent.process;

import io.tether.process.BoundChildren;
import io.tether.process.PortOwner;
import io.tether.process.ProcessTree;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's app: started bound to the agent, its output passed through the agent (which keeps the
 * last lines of it), and stopped with SIGTERM, then SIGKILL after a grace: the app and every process it
 * started ({@link ProcessTree}), so that what a shell entrypoint left running stops with it, even after
 * the shell itself has exited.
 */
public final class AppProcess {
  private static final Logger log = LoggerFactory.getLogger(AppProcess.class);
  private static final int TAIL_LINES = 20;
  /** How long what is left of the app may take to go after SIGKILL (the kernel's work; no handler runs). */
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  /** How long to wait for the last output of an app that has exited (a child of it may hold its stdout). */
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);

  private final Process process;
  private final ProcessTree tree;
  private final OutputTail output;

  private AppProcess(Process process) {
    this.process = process;
    this.tree = ProcessTree.of(process);
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

  /**
   * SIGTERM to the app and every process it started, then SIGKILL to those still running after the
   * grace; returns the app's exit status. An app that has exited already may have left some: they
   * are stopped the same way.
   */
  public int stop(Duration grace) throws InterruptedException {
    boolean exited = !process.isAlive();
    int signalled = tree.signal(false);
    if (exited && signalled > 0) {
      log.info("the app has exited; SIGTERM to the {} process(es) it left running", signalled);
    }
    if (signalled > 0 && !tree.awaitGone(grace)) {
      List<Long> left = tree.alive().stream().map(ProcessHandle::pid).toList();
      log.warn("app did not stop within {} s of SIGTERM: SIGKILL to pid(s) {}", grace.toSeconds(), left);
      tree.signal(true);
      if (!tree.awaitGone(KILL_WAIT)) {
        log.warn("app's pid(s) {} still alive {} s after SIGKILL", tree.alive().stream().map(ProcessHandle::pid).toList(),
            KILL_WAIT.toSeconds());
      }
    }
    return process.waitFor();
  }

  /** "the app exited with status 3 {when}", and the last lines it wrote; for an app that has exited. */
  public String exitReport(String when) throws InterruptedException {
    return "the app exited with status " + process.waitFor() + " " + when + OutputTail.report(output.lastLines(OUTPUT_DRAIN));
  }
}
