package io.tether.registry.testing;

import io.tether.process.BoundChildren;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Child processes and temporary directories of a test JVM. Every process a test starts (a server, a
 * Java main, an Envoy) goes through {@link #start}, which binds it to this JVM's life with {@link
 * BoundChildren}, as the server binds its etcd and the agent its Envoy: a killed test JVM takes its
 * children along. Every temporary directory goes through {@link #tempDir}, so that {@link OrphanCheck}
 * can tell, at the end of the test JVM, which processes still running were this JVM's, and then
 * remove them ({@link #removeTempDirs}). A directory's name carries the pid of the JVM that made it,
 * so the first test JVM after one that was killed (PIT kills its minions) removes what it left: an
 * etcd data dir is tens of megabytes, and a few hundred of them fill a disk.
 */
public final class TestChildren {
  private static final Set<Path> TEMP_DIRS = ConcurrentHashMap.newKeySet();
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
  private static final Pattern OURS = Pattern.compile("^tether-.+-p(\\d+)-\\d+$");
  /** Set to keep every test's temp dirs (the logs the failure messages point at) after the run. */
  public static final boolean KEEP = System.getenv("TETHER_KEEP_TEST_DIRS") != null;

  static {
    removeLeftovers();
  }

  private TestChildren() {}

  /** Starts the process {@code builder} describes, bound to this JVM's life (same pid: setpriv execs it). */
  public static Process start(ProcessBuilder builder) {
    return BoundChildren.shared().start(builder);
  }

  /** A new directory {@code tether-NAME…} under the temp dir, remembered as this JVM's. */
  public static Path tempDir(String name) {
    try {
      Path dir = Files.createTempDirectory("tether-" + name + "-p" + ProcessHandle.current().pid() + "-");
      TEMP_DIRS.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The temp dirs this JVM created: a process naming one in its command line was started for it. */
  static Set<Path> tempDirs() {
    return Set.copyOf(TEMP_DIRS);
  }

  /** Removes this JVM's temp dirs, once nothing of it runs any more (unless {@link #KEEP}). */
  static void removeTempDirs() {
    if (!KEEP) {
      TEMP_DIRS.forEach(TestChildren::delete);
      TEMP_DIRS.clear();
    }
  }

  /** Temp dirs of test JVMs that are gone. */
  private static void removeLeftovers() {
    if (KEEP) {
      return;
    }
    try (Stream<Path> dirs = Files.list(TMP)) {
      dirs.filter(TestChildren::ownerIsGone).forEach(TestChildren::delete);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("cannot sweep " + TMP + " for old test dirs: " + e.getMessage());
    }
  }

  private static boolean ownerIsGone(Path dir) {
    Matcher m = OURS.matcher(dir.getFileName().toString());
    return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a file a dying process still writes may stay
    }
  }
}
