package io.tether.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One arm of the agent benchmark: a name, the JVM flags the agent is started with (none: the JVM's
 * defaults) and environment variables it gets besides this JVM's (such as glibc's {@code MALLOC_ARENA_MAX}).
 */
record JvmArm(String name, List<String> flags, Map<String, String> env) {
  private static final Pattern ENV = Pattern.compile("[A-Z][A-Z0-9_]*=.*");

  JvmArm(String name, List<String> flags) {
    this(name, flags, Map.of());
  }

  /** {@code NAME=FLAGS}, the flags separated by spaces, as {@code --arm} takes it; a {@code VAR=VALUE} among them is environment. */
  static JvmArm parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--arm takes NAME=FLAGS, e.g. serial='-XX:+UseSerialGC -Xmx48m': " + spec);
    }
    List<String> flags = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (String token : spec.substring(eq + 1).trim().split("\\s+")) {
      if (ENV.matcher(token).matches()) {
        env.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
      } else if (!token.isEmpty()) {
        flags.add(token);
      }
    }
    return new JvmArm(spec.substring(0, eq), flags, env);
  }

  @Override
  public String toString() {
    String given = String.join(" ", flags) + (env.isEmpty() ? "" : " " + env);
    return name + (given.isBlank() ? " (JVM defaults)" : " (" + given.trim() + ")");
  }
}
