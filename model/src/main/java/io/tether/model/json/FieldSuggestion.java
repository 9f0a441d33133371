package io.tether.model.json;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The known name closest to an unknown one, for "unknown field 'timout': did you mean 'timeout'?" and
 * for the CLI's unknown commands and options (client/.../cli/UsageMessages).
 * Close means at most 3 edits and at most one per 4 characters of the name (one for a short name), so
 * that a short name does not suggest an unrelated one; case is ignored ("PortName" suggests "portName").
 */
public final class FieldSuggestion {
  private static final int MAX_EDITS = 3;

  private FieldSuggestion() {}

  public static Optional<String> closest(String unknown, Collection<?> known) {
    if (unknown == null || known == null) {
      return Optional.empty();
    }
    int limit = Math.min(MAX_EDITS, Math.max(1, unknown.length() / 4));
    LevenshteinDistance distance = new LevenshteinDistance(limit);
    String lower = unknown.toLowerCase();
    return known.stream().map(Object::toString)
        .filter(k -> distance.apply(lower, k.toLowerCase()) >= 0)
        .min(Comparator.comparingInt((String k) -> distance.apply(lower, k.toLowerCase())).thenComparing(k -> k));
  }
}
