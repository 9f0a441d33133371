package io.tether.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bound child is this JVM's child (so the parent-death signal holds) in a session of its own (so a
 * Ctrl-C to the terminal's process group reaches this JVM only, which then stops it in order).
 */
class BoundChildrenTest {
  @Test
  void aChildIsOurChildInASessionOfItsOwn() throws Exception {
    Path log = Files.createTempFile("bound-children", ".log");
    Process child = BoundChildren.shared().start(List.of("sleep", "30"), log);
    try {
      long self = ProcessHandle.current().pid();
      assertThat(child.toHandle().parent().map(ProcessHandle::pid)).as("parent").contains(self);
      Stat ours = Stat.of(self);
      // The child is started as setsid's exec: it may not have made its session yet when start() returns.
      Await.until(Duration.ofSeconds(5), () -> Stat.of(child.pid()).session() == child.pid(), "the child's own session");
      Stat its = Stat.of(child.pid());
      assertThat(its.session()).as("session").isEqualTo(child.pid()).isNotEqualTo(ours.session());
      assertThat(its.processGroup()).as("process group").isEqualTo(child.pid()).isNotEqualTo(ours.processGroup());
    } finally {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    }
  }

  /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, … */
  private record Stat(long processGroup, long session) {
    static Stat of(long pid) throws Exception {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new Stat(Long.parseLong(f[2]), Long.parseLong(f[3]));
    }
  }
}
