package io.tether.agent.registry;

import java.util.regex.Pattern;

/**
 * Names go into the URL path: anything that is not a registry name is refused here, before any call,
 * rather than encoded into a request the registry would refuse anyway.
 */
final class RegistryNames {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,253}");

  private RegistryNames() {}

  /** @throws IllegalArgumentException naming the first that is not a registry name */
  static void check(String... names) {
    for (String name : names) {
      if (name == null || !SEGMENT.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("not a valid registry name: '" + name + "'");
      }
    }
  }
}
