package io.tether.agent.net;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which process listens on a TCP port, from Linux's /proc: the listening socket's inode in
 * /proc/net/tcp or tcp6, then the process that has that socket among its open files. Best effort,
 * for an error message: empty where /proc cannot tell (not Linux, another user's process).
 */
final class PortHolder {
  private static final Path PROC = Path.of("/proc");
  private static final String LISTEN = "0A";

  private PortHolder() {}

  /** e.g. "pid 4242 (nginx)". */
  static Optional<String> of(int port) {
    return listeningInode(port).flatMap(PortHolder::processWithSocket);
  }

  static Optional<String> listeningInode(int port) {
    for (String table : List.of("net/tcp", "net/tcp6")) {
      try (Stream<String> lines = Files.lines(PROC.resolve(table))) {
        Optional<String> inode = lines.skip(1).map(l -> l.trim().split("\\s+"))
            .filter(f -> f.length > 9 && f[3].equals(LISTEN) && hasPort(f[1], port))
            .map(f -> f[9]).filter(i -> !i.equals("0")).findFirst();
        if (inode.isPresent()) {
          return inode;
        }
      } catch (IOException | RuntimeException e) {
        // no such table here (no IPv6, not Linux): look in the next
      }
    }
    return Optional.empty();
  }

  /** {@code local_address} is ADDRESS:PORT in hex. */
  private static boolean hasPort(String localAddress, int port) {
    return localAddress.endsWith(":" + String.format(Locale.ROOT, "%04X", port));
  }

  private static Optional<String> processWithSocket(String inode) {
    String socket = "socket:[" + inode + "]";
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path process : processes) {
        if (hasOpen(process, socket)) {
          return Optional.of("pid " + process.getFileName() + " (" + name(process) + ")");
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: say nothing
    }
    return Optional.empty();
  }

  private static boolean hasOpen(Path process, String socket) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      for (Path fd : fds) {
        if (socket.equals(readLink(fd))) {
          return true;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone meanwhile, or another user's: not this one
    }
    return false;
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static String name(Path process) {
    try {
      return Files.readString(process.resolve("comm")).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
