package io.tether.registry.testing;

import io.tether.process.BoundChildren;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child processes and temporary directories of a test JVM. Every process a test starts (a server, a
 * Java main, an Envoy) goes through {@link #start}, which binds it to this JVM's life with {@link
 * BoundChildren}, as the server binds its etcd and the agent its Envoy: a killed test JVM takes its
 * children along. Every temporary directory goes through {@link #tempDir}, so that {@link OrphanCheck}
 * can tell, at the end of the test JVM, which processes still running were this JVM's.
 */
public final class TestChildren {
  private static final Set<Path> TEMP_DIRS = ConcurrentHashMap.newKeySet();

  private TestChildren() {}

  /** Starts the process {@code builder} describes, bound to this JVM's life (same pid: setpriv execs it). */
  public static Process start(ProcessBuilder builder) {
    return BoundChildren.shared().start(builder);
  }

  /** A new directory {@code tether-NAME…} under the temp dir, remembered as this JVM's. */
  public static Path tempDir(String name) {
    try {
      Path dir = Files.createTempDirectory("tether-" + name);
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
}
