package io.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;

/**
 * An agent's log file, read for the moment of a line: the agent stamps each line to the millisecond
 * ({@code simplelogger.properties}), so an event's time is the agent's own, not when a poll saw it.
 */
record AgentLog(Path file) {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /** Epoch milliseconds of the first line containing {@code marker}, if there is one yet. */
  OptionalLong millisOf(String marker) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.contains(marker)).findFirst()
          .map(l -> OptionalLong.of(OffsetDateTime.parse(l.substring(0, l.indexOf(' ')), STAMP).toInstant().toEpochMilli()))
          .orElse(OptionalLong.empty());
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The log's text, for an error message. */
  String text() {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
