package io.tether.client.cli;

import java.util.Map;

/**
 * The environment the commands read ({@code TETHER_SERVER}, {@code TETHER_TOKEN}, {@code TETHER_CONFIG},
 * …). It is the process's, except in tests that run commands in-process: they give one of their own,
 * so that a test never reads or writes the real home directory.
 */
public final class CliEnvironment {
  private static volatile Map<String, String> override;

  private CliEnvironment() {}

  /** The variable, or null when it is unset or blank. */
  public static String get(String name) {
    String value = (override != null ? override : System.getenv()).get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** For tests: read this map instead of the process environment (null: the process's again). */
  public static void replaceForTests(Map<String, String> env) {
    override = env == null ? null : Map.copyOf(env);
  }
}
