package io.tether.model;

import java.util.List;

/**
 * One {@code http} entry of an authorization rule: the call matches when its path matches one of
 * {@code paths} (exact, or a prefix when it ends with {@code *}) and its method one of {@code methods}
 * (none listed: any). No {@code paths}: any path.
 */
public record HttpMatch(List<String> paths, List<String> methods) {
  /** Absent lists stay null (absent means any; an empty list is refused by validation). */
  public HttpMatch {
    paths = paths == null ? null : Lists.copyKeepingNulls(paths);
    methods = methods == null ? null : Lists.copyKeepingNulls(methods);
  }

  /** The paths, none meaning any. */
  public List<String> pathsOrAny() {
    return paths == null ? List.of() : paths;
  }

  /** The methods, none meaning any. */
  public List<String> methodsOrAny() {
    return methods == null ? List.of() : methods;
  }
}
