package io.tether.testbed.demo;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One second of the demo caller's calls: answers by the backend that gave them, failures, and the
 * first failure's reason. The caller prints it as one line ({@link #line}); the demo reads it back
 * ({@link #parse}) to tell what happened. For example {@code calls/s  w1 10  w2 9  failed 1 | status 503}.
 */
record Tally(Map<String, Integer> answers, int failed, String firstError) {
  static final String PREFIX = "calls/s";

  Tally {
    answers = Map.copyOf(answers);
  }

  int calls() {
    return answers.values().stream().mapToInt(Integer::intValue).sum() + failed;
  }

  int of(String backend) {
    return answers.getOrDefault(backend, 0);
  }

  String line() {
    StringBuilder out = new StringBuilder(PREFIX);
    new TreeMap<>(answers).forEach((backend, n) -> out.append("  ").append(backend).append(' ').append(n));
    out.append("  failed ").append(failed);
    if (firstError != null) {
      out.append(" | ").append(firstError);
    }
    return out.toString();
  }

  /** The tally a caller printed as {@code line}, or empty when the line is not one. */
  static Optional<Tally> parse(String line) {
    if (!line.startsWith(PREFIX + "  ")) {
      return Optional.empty();
    }
    int bar = line.indexOf(" | ");
    String error = bar < 0 ? null : line.substring(bar + 3);
    String[] words = (bar < 0 ? line : line.substring(0, bar)).substring(PREFIX.length()).trim().split("\\s+");
    Map<String, Integer> answers = new TreeMap<>();
    int failed = 0;
    for (int i = 0; i + 1 < words.length; i += 2) {
      int n = Integer.parseInt(words[i + 1]);
      if (words[i].equals("failed")) {
        failed = n;
      } else {
        answers.put(words[i], n);
      }
    }
    return Optional.of(new Tally(answers, failed, error));
  }
}
