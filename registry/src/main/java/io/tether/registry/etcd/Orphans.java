package io.tether.registry.etcd;

import io.tether.process.PortOwner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds etcd processes left running on a data directory, e.g. by a server that was killed before
 * its etcd was bound to it, and stops them: the data directory has one owner, the server that holds
 * its lock now, so such a process can only be a leftover.
 */
final class Orphans {
  private static final Logger log = LoggerFactory.getLogger(Orphans.class);

  private Orphans() {}

  static void replaceAny(Path etcdDataDir) {
    for (ProcessHandle orphan : on(etcdDataDir)) {
      log.warn("stopping a leftover etcd (pid {}) still running on {}", orphan.pid(), etcdDataDir);
      orphan.destroy();
      try {
        orphan.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        orphan.destroyForcibly();
        orphan.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
      }
    }
  }

  /** etcd processes whose {@code --data-dir} is exactly {@code etcdDataDir}. */
  static List<ProcessHandle> on(Path etcdDataDir) {
    String wanted = etcdDataDir.toAbsolutePath().normalize().toString();
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        List<String> args = List.of(PortOwner.commandLine(proc).split(" "));
        int i = args.indexOf("--data-dir");
        if (i >= 0 && i + 1 < args.size() && isEtcd(args) && sameDir(args.get(i + 1), wanted)) {
          ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to find
    }
    return found;
  }

  private static boolean isEtcd(List<String> args) {
    return args.stream().limit(6).anyMatch(a -> a.equals("etcd") || a.endsWith("/etcd"));
  }

  private static boolean sameDir(String dir, String wanted) {
    return Path.of(dir).toAbsolutePath().normalize().toString().equals(wanted);
  }
}
