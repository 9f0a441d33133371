package io.tether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reviewed golden files under {@code src/test/resources/golden/}: what the agent prints, compared
 * textually. Run with {@code -Dgolden.update=true} to rewrite them, then read the diff.
 */
public final class Golden {
  private Golden() {}

  public static final Path ROOT = Path.of("src/test/resources/golden");
  public static final boolean UPDATE = Boolean.getBoolean("golden.update");

  public static void assertMatches(Path file, String actual) {
    try {
      if (UPDATE) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(Files.exists(file)).as("%s is missing (rerun with -Dgolden.update=true)", file).isTrue();
      assertThat(actual)
          .as("%s differs from its golden file (rerun with -Dgolden.update=true and review the diff)", file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files in {@code dir}, to prove none is stale (every one is some case's). */
  public static Set<String> files(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
