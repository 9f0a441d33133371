package io.tether.model;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Endpoint labels and the label selectors of subsets (README "Canaries and test traffic"): keys as
 * Kubernetes writes them, values short tokens, and the {@code tether.io/} prefix kept for Tether's own.
 */
final class LabelValidation {
  static final int MAX_LABELS = 16;
  static final int MAX_LENGTH = 63;
  static final String RESERVED_PREFIX = "tether.io/";
  private static final Pattern KEY = Pattern.compile("[a-z0-9]([a-z0-9./-]*[a-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._-]+");

  private LabelValidation() {}

  /** An endpoint's labels: at most 16, each key and value well formed. */
  static void labels(String field, Map<String, String> labels) {
    if (labels.size() > MAX_LABELS) {
      throw new InvalidSpecException(field, field + " holds at most " + MAX_LABELS + " entries");
    }
    entries(field, labels);
  }

  /** Each key and value well formed, and no key under {@code tether.io/}. */
  static void entries(String field, Map<String, String> labels) {
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String entry = field + "." + e.getKey();
      String key = e.getKey();
      if (key.length() > MAX_LENGTH || !KEY.matcher(key).matches()) {
        throw new InvalidSpecException(entry, field + " keys must be 1 to " + MAX_LENGTH
            + " of lower-case letters, digits, '.', '/' and '-', starting and ending with a letter or digit, was '"
            + key + "'");
      }
      if (key.startsWith(RESERVED_PREFIX)) {
        throw new InvalidSpecException(entry, field + ": keys under " + RESERVED_PREFIX + " are reserved");
      }
      String value = e.getValue();
      if (value == null || value.length() > MAX_LENGTH || !VALUE.matcher(value).matches()) {
        throw new InvalidSpecException(entry, entry + " must be 1 to " + MAX_LENGTH
            + " letters, digits, '.', '_' or '-'");
      }
    }
  }
}
