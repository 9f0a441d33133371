package io.tether.model;

import java.util.List;

/**
 * One {@code http} entry of an authorization rule: the call matches when its path matches one of
 * {@code paths} (exact, or a prefix when it ends with {@code *}) and its method one of {@code methods}
 * (none listed: any). No {@code paths}: any path.
 */
public record HttpMatch(List<String> paths, List<String> methods) {
  public HttpMatch {
    paths = paths == null ? List.of() : Lists.copyKeepingNulls(paths);
    methods = methods == null ? List.of() : Lists.copyKeepingNulls(methods);
  }
}
