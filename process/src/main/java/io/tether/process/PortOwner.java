package io.tether.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a local TCP port, read from Linux's {@code /proc} (the socket's inode in
 * {@code /proc/net/tcp*}, then the process holding that inode among its file descriptors), so that a
 * port conflict can be reported as "in use by pid 123 (etcd …)" rather than as a bind error.
 */
public final class PortOwner {
  private PortOwner() {}

  /** A process, as {@code ps} would name it. */
  public record ProcessInfo(long pid, String commandLine) {
    @Override
    public String toString() {
      String cmd = commandLine.length() > 160 ? commandLine.substring(0, 160) + "…" : commandLine;
      return "pid " + pid + " (" + cmd + ")";
    }
  }

  /** True when {@code port} can be bound on {@code host} now. */
  public static boolean isFree(String host, int port) {
    try {
      return canBind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * True when {@code port} can be bound on the wildcard address now (IPv6 and IPv4 where dual-stack),
   * which fails while anyone listens on it on any local address: for a port a server of ours will bind
   * on whichever address it likes.
   */
  public static boolean isFree(int port) {
    return canBind(new InetSocketAddress(port));
  }

  private static boolean canBind(InetSocketAddress address) {
    try (ServerSocket s = new ServerSocket()) {
      // As servers bind: a port whose last connections linger in TIME_WAIT is free.
      s.setReuseAddress(true);
      s.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The process listening on {@code port}, when /proc can tell (it cannot see other users' processes). */
  public static Optional<ProcessInfo> listening(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      inodes.addAll(listeningInodes(Path.of(table), port));
    }
    return inodes.isEmpty() ? Optional.empty() : holder(inodes);
  }

  /** Describes who holds {@code port}, for an error message. */
  public static String describe(int port) {
    return listening(port).map(p -> "in use by " + p).orElse("in use by another process");
  }

  private static Set<String> listeningInodes(Path table, int port) {
    Set<String> inodes = new HashSet<>();
    try {
      for (String line : Files.readAllLines(table)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ... inode; state 0A is LISTEN
        if (f.length > 9 && f[1].contains(":") && f[3].equals("0A")
            && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
          inodes.add(f[9]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or a table we cannot read: no owner known
    }
    return inodes;
  }

  private static Optional<ProcessInfo> holder(Set<String> inodes) {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        if (holdsAny(proc, inodes)) {
          return Optional.of(new ProcessInfo(Long.parseLong(proc.getFileName().toString()), commandLine(proc)));
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return Optional.empty();
  }

  private static boolean holdsAny(Path proc, Set<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        String target = Files.readSymbolicLink(fd).toString();
        if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
          return true;
        }
      }
    } catch (IOException | SecurityException e) {
      // gone, or not ours to read
    }
    return false;
  }

  /** A process's command line with its arguments joined by spaces; empty when it cannot be read. */
  public static String commandLine(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }
}
