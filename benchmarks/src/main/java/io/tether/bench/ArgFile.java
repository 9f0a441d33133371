package io.tether.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JVM flags with any {@code @FILE} replaced by the file's flags (one or more a line, {@code #} comments), for printing. */
final class ArgFile {
  private ArgFile() {}

  static List<String> expand(List<String> flags) {
    List<String> out = new ArrayList<>();
    for (String flag : flags) {
      if (!flag.startsWith("@")) {
        out.add(flag);
        continue;
      }
      try {
        for (String line : Files.readAllLines(Path.of(flag.substring(1)))) {
          String text = line.replaceAll("#.*", "").trim();
          if (!text.isEmpty()) {
            out.addAll(List.of(text.split("\\s+")));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the JVM options file " + flag.substring(1), e);
      }
    }
    return out;
  }
}
