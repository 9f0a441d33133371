package io.tether.registry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails the test JVM that leaves a process behind. At the end of the launcher session (registered in
 * {@code META-INF/services} of the registry test-jar, so every module's test JVM runs it) it lists the
 * processes that are no longer descendants of this JVM (their parent is gone: reparented to init or a
 * subreaper) and whose command line names a temp dir this JVM created ({@link TestChildren#tempDir}),
 * e.g. the etcd of a {@code tether server} a test started. Such a process outlives the run; it is
 * reported on stderr and in {@code target/orphaned-processes.txt}, killed, and the session fails.
 *
 * <p>Children still bound to this JVM (the shared etcd, an Envoy a test did not stop) are not orphans:
 * the kernel kills them when the JVM exits ({@link TestChildren#start}).
 */
public final class OrphanCheck implements LauncherSessionListener {
  /** How long an orphan may take to die: a SIGKILLed parent's bound children get their signal at once. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    List<ProcessHandle> orphans = awaitNone(GRACE);
    if (orphans.isEmpty()) {
      stopBoundChildren();
      TestChildren.removeTempDirs();
      return;
    }
    String report = "ORPHANED PROCESSES left by this test JVM (pid " + ProcessHandle.current().pid() + "), killed now:\n"
        + orphans.stream().map(OrphanCheck::describe).collect(Collectors.joining("\n"));
    System.err.println(report);
    orphans.forEach(ProcessHandle::destroyForcibly);
    try {
      Path target = Path.of("target");
      if (Files.isDirectory(target)) {
        Files.writeString(target.resolve("orphaned-processes.txt"), report + "\n");
      }
    } catch (IOException e) {
      System.err.println("cannot write target/orphaned-processes.txt: " + e.getMessage());
    }
    throw new IllegalStateException(report);
  }

  /**
   * The tests are over: the children still bound to this JVM (the shared etcd) would die with it
   * anyway; they go now, so that their directories can go too.
   */
  private static void stopBoundChildren() {
    List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    children.forEach(p -> p.onExit().completeOnTimeout(p, GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join());
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** The orphans still running after at most {@code grace}. */
  private static List<ProcessHandle> awaitNone(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    List<ProcessHandle> orphans = orphans();
    while (!orphans.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100); // a poll with a deadline: the orphans' deaths are what it waits for
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      orphans = orphans();
    }
    return orphans;
  }

  /** Live processes, not descendants of this JVM, whose command line names one of this JVM's temp dirs. */
  static List<ProcessHandle> orphans() {
    Set<Path> dirs = TestChildren.tempDirs();
    if (dirs.isEmpty()) {
      return List.of();
    }
    ProcessHandle self = ProcessHandle.current();
    Set<Long> bound = self.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self.pid() && !bound.contains(p.pid()) && p.isAlive())
        .filter(p -> {
          String command = p.info().commandLine().orElse("");
          return dirs.stream().anyMatch(d -> command.contains(d.toString()));
        })
        .toList();
  }

  private static String describe(ProcessHandle p) {
    String parent = p.parent().map(h -> Long.toString(h.pid())).orElse("gone");
    return "  pid " + p.pid() + " (parent " + parent + "): " + p.info().commandLine().orElse("?");
  }
}
