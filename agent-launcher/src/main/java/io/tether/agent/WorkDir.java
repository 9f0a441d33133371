package io.tether.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task's bootstraps (which hold the agent token) and Envoy's log go. A directory the agent
 * makes is private from its creation (0700, no moment when others may enter it) and is removed with
 * everything in it when the task ends; in a directory it is given, only the files the agent wrote
 * are removed (Envoy's log stays, for reading after the run). Used by {@code agent run} (per task) and
 * {@code agent host} (for its egress Envoy).
 */
public final class WorkDir implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkDir.class);
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path dir;
  private final boolean made;
  private final List<Path> written = new ArrayList<>();

  private WorkDir(Path dir, boolean made) {
    this.dir = dir;
    this.made = made;
  }

  /**
   * @param given {@code --work-dir}, or null for a new directory {@code tether-agent-TASK-…} in the
   *     system temp directory (a random suffix: a name known in advance could be made first by another user)
   */
  public static WorkDir open(Path given, String taskId) throws IOException {
    if (given == null) {
      return new WorkDir(Files.createTempDirectory("tether-agent-" + taskId + "-", PRIVATE_DIR), true);
    }
    if (Files.isDirectory(given)) {
      return new WorkDir(given, false);
    }
    if (Files.exists(given)) {
      throw new IllegalStateException("--work-dir " + given + " is not a directory");
    }
    Path parent = given.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new WorkDir(Files.createDirectory(given, PRIVATE_DIR), true);
  }

  public Path path() {
    return dir;
  }

  /** Writes a file only its owner can read, created so (a file left by a killed run is replaced, not reused). */
  public Path writeSecret(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.deleteIfExists(file);
    Files.write(Files.createFile(file, PRIVATE_FILE), content.getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    written.add(file);
    return file;
  }

  /** Removes what the agent made; logs, never throws: it runs on the way out. */
  @Override
  public void close() {
    try {
      for (Path file : written) {
        Files.deleteIfExists(file);
      }
      if (made) {
        deleteTree();
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not remove the work dir {} (its bootstraps hold the agent token): {}", dir, e.getMessage());
    }
  }

  private void deleteTree() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
