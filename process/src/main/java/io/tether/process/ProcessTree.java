package io.tether.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A child started by {@link BoundChildren} and every process it started, to be stopped together. A
 * shell entrypoint ({@code sh -c 'worker & exec server'}) or a launcher leaves processes of its own;
 * signalling the child alone orphans them. The tree is: the child while it runs, its descendants, and
 * every live process of its session, read from {@code /proc}. The session is what still finds them
 * once the child has exited: they are then re-parented to init and no longer its descendants, but they
 * stay in the child's session (BoundChildren makes the child its leader) unless they leave it on purpose.
 *
 * <p>A session's id is its leader's pid, which the kernel gives no new process while the session has a
 * member. Once the tree has been found empty (the child exited, no member left) it is never looked up
 * again: the id is then free, and a later process may lead a session of that number.
 *
 * <p>Not thread-safe: one owner stops it.
 */
public final class ProcessTree {
  private static final Path PROC = Path.of("/proc");
  private static final long POLL_MILLIS = 25;

  private final Process leader;
  private boolean gone;

  private ProcessTree(Process leader) {
    this.leader = leader;
  }

  public static ProcessTree of(Process leader) {
    return new ProcessTree(leader);
  }

  /** The processes of the tree that are alive now, the child first; a zombie counts as gone. */
  public List<ProcessHandle> alive() {
    if (gone) {
      return List.of();
    }
    Map<Long, ProcessHandle> members = new LinkedHashMap<>();
    if (leader.isAlive()) {
      members.put(leader.pid(), leader.toHandle());
      leader.descendants().forEach(p -> members.putIfAbsent(p.pid(), p));
    }
    sessionMembers(leader.pid()).forEach(p -> members.putIfAbsent(p.pid(), p));
    members.remove(ProcessHandle.current().pid());
    List<ProcessHandle> alive = members.values().stream().filter(ProcessTree::running).toList();
    gone = alive.isEmpty() && !leader.isAlive();
    return alive;
  }

  /** SIGTERM ({@code force}: SIGKILL) to every live process of the tree; returns how many there were. */
  public int signal(boolean force) {
    List<ProcessHandle> alive = alive();
    for (ProcessHandle p : alive) {
      if (p.pid() == leader.pid()) {
        if (force) {
          leader.destroyForcibly();
        } else {
          leader.destroy();
        }
      } else if (force) {
        p.destroyForcibly(); // checks the process's start time: a pid reused since is not signalled
      } else {
        p.destroy();
      }
    }
    return alive.size();
  }

  /** Polls until no process of the tree is alive, for at most {@code timeout}; true when none is. */
  public boolean awaitGone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!alive().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS); // the pace of reading /proc; the deadline bounds the wait
    }
    return true;
  }

  /** The processes whose session is {@code session}: none where there is no {@code /proc}. */
  private static List<ProcessHandle> sessionMembers(long session) {
    List<ProcessHandle> members = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, entry -> isPid(entry.getFileName().toString()))) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (Stat.of(pid).filter(s -> s.session() == session).isPresent()) {
          ProcessHandle.of(pid).ifPresent(members::add);
        }
      }
    } catch (IOException e) {
      return members; // no /proc (not Linux): the child and its descendants are all there is to find
    }
    return members;
  }

  private static boolean running(ProcessHandle p) {
    return p.isAlive() && !zombie(p.pid());
  }

  /**
   * Whether process {@code pid} exists and is not a zombie: one re-parented to init stays a zombie
   * until init reaps it, which a container's init may do late or never, but it is gone all the same.
   */
  public static boolean isRunning(long pid) {
    return ProcessHandle.of(pid).map(ProcessTree::running).orElse(false);
  }

  private static boolean zombie(long pid) {
    return Stat.of(pid).map(s -> s.state() == 'Z' || s.state() == 'X').orElse(false);
  }

  private static boolean isPid(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** Of {@code /proc/PID/stat}, what matters here: the state and the session. */
  private record Stat(char state, long session) {
    static Optional<Stat> of(long pid) {
      try {
        String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
        // After the command name, which may hold spaces and parentheses: state ppid pgrp session …
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[3])));
      } catch (IOException | RuntimeException e) {
        return Optional.empty(); // exited meanwhile, or no /proc
      }
    }
  }
}
