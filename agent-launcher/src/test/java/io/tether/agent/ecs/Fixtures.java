package io.tether.agent.ecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The files under {@code src/test/resources/ecs/} (see its README for where each field comes from). */
final class Fixtures {
  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/ecs/" + name)) {
      if (in == null) {
        throw new AssertionError("no fixture ecs/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Metadata.Task task(String name) {
    return read(name, Metadata.Task.class);
  }

  static Metadata.Container container(String name) {
    return read(name, Metadata.Container.class);
  }

  private static <T> T read(String name, Class<T> type) {
    try {
      return TaskMetadata.parse(text(name), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
