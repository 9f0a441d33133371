package io.tether.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A file the stand-in processes append what happened to them ("envoy /ready", "app signal TERM"), one
 * line per event, so a test can assert the order of a lifecycle across processes.
 */
public final class Journal {
  private final Path file;

  public Journal(Path file) {
    this.file = file;
  }

  public static Journal fromEnvironment() {
    String path = System.getenv("TETHER_TEST_JOURNAL");
    return path == null ? null : new Journal(Path.of(path));
  }

  /** One event and when it happened (epoch microseconds: comparable across processes). */
  public record Entry(long atMicros, String text) {}

  public void append(String who, String event) {
    java.time.Instant now = java.time.Instant.now();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    byte[] line = (micros + " " + who + " " + event + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
      ch.write(java.nio.ByteBuffer.wrap(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events in order, without their times: e.g. {@code "envoy POST /quitquitquit"}. */
  public List<String> lines() {
    return entries().stream().map(Entry::text).toList();
  }

  public List<Entry> entries() {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      return Files.readAllLines(file).stream()
          .map(l -> new Entry(Long.parseLong(l.substring(0, l.indexOf(' '))), l.substring(l.indexOf(' ') + 1)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return file;
  }
}
