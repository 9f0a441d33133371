package io.tether.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shell that starts a background child, as an app's entrypoint does: stopping the tree stops the
 * child too, while the shell runs and after it has exited (the child then re-parented, no longer its
 * descendant), and SIGKILL reaches a child that ignores SIGTERM.
 */
class ProcessTreeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<Long> started = new ArrayList<>();
  private Path dir;

  @AfterEach
  void killLeftovers() throws IOException {
    started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  @Test
  void sigtermStopsTheShellAndItsBackgroundChild() throws Exception {
    Process shell = shell("sleep 300 & echo $! > child.pid; sleep 300");
    long child = childPid();
    ProcessTree tree = ProcessTree.of(shell);
    assertThat(tree.alive()).extracting(ProcessHandle::pid).contains(shell.pid(), child);

    assertThat(tree.signal(false)).as("the shell (or the sleep it exec'd) and its background child").isGreaterThanOrEqualTo(2);
    assertThat(tree.awaitGone(WAIT)).isTrue();
    assertThat(ProcessTree.isRunning(child)).isFalse();
    assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aChildLeftBehindByAShellThatExitedIsStillFound() throws Exception {
    Process shell = shell("sleep 300 & echo $! > child.pid");
    long child = childPid();
    assertThat(shell.waitFor(10, TimeUnit.SECONDS)).as("the shell exits at once").isTrue();
    assertThat(ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).as("re-parented")
        .isNotEqualTo(Optional.of(shell.pid()));

    ProcessTree tree = ProcessTree.of(shell);
    assertThat(tree.alive()).extracting(ProcessHandle::pid).containsExactly(child);
    tree.signal(false);
    assertThat(tree.awaitGone(WAIT)).isTrue();
    assertThat(ProcessTree.isRunning(child)).isFalse();
    assertThat(tree.alive()).as("found empty: never looked up again").isEmpty();
  }

  @Test
  void sigkillStopsAChildThatIgnoresSigterm() throws Exception {
    // An ignored signal stays ignored across fork and exec: the sleeps ignore SIGTERM too.
    Process shell = shell("trap '' TERM; sleep 300 & echo $! > child.pid; sleep 300");
    long child = childPid();
    ProcessTree tree = ProcessTree.of(shell);
    tree.signal(false);
    assertThat(tree.awaitGone(Duration.ofMillis(300))).as("SIGTERM is ignored").isFalse();

    tree.signal(true);
    assertThat(tree.awaitGone(WAIT)).isTrue();
    assertThat(ProcessTree.isRunning(child)).isFalse();
  }

  /** {@code sh -c script} in a directory of its own, bound as the agent starts an app. */
  private Process shell(String script) throws IOException {
    dir = Files.createTempDirectory("process-tree");
    Process shell = BoundChildren.shared().start(new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()));
    started.add(shell.pid());
    return shell;
  }

  /** The background child's pid, which the shell writes once it has started it. */
  private long childPid() throws Exception {
    Path file = dir.resolve("child.pid");
    Await.until(WAIT, () -> Files.exists(file) && Files.readString(file).endsWith("\n"), "the shell wrote child.pid");
    long pid = Long.parseLong(Files.readString(file).strip());
    started.add(pid);
    return pid;
  }
}
