package io.tether.registry.api;

import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The methods each route template answers, for the {@code Allow} header of a 405. */
final class AllowedMethods {
  private final Map<String, Set<String>> byTemplate = new ConcurrentHashMap<>();
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  void add(HttpMethod method, String template) {
    byTemplate.computeIfAbsent(template, t -> new TreeSet<>()).add(method.name());
    patterns.computeIfAbsent(template, t -> Pattern.compile(t.replaceAll(":[A-Za-z]+", "[^/]+") + "/?"));
  }

  /** The methods allowed on a concrete path, comma separated, e.g. {@code "DELETE, GET, PUT"}. */
  String on(String path) {
    return byTemplate.entrySet().stream()
        .filter(e -> patterns.get(e.getKey()).matcher(path).matches())
        .flatMap(e -> e.getValue().stream())
        .collect(Collectors.toCollection(TreeSet::new))
        .stream().collect(Collectors.joining(", "));
  }
}
