package io.tether.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lists as records hold them. */
final class Lists {
  private Lists() {}

  /**
   * An unmodifiable copy that keeps null elements. {@code List.copyOf} throws on them, and it would do
   * so while JSON is still being read, before {@link Validation} can name the element that is null
   * (e.g. {@code clientAliases[1]}): a null is the caller's error, to be reported where it is.
   */
  static <T> List<T> copyKeepingNulls(List<T> list) {
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** An unmodifiable copy that keeps null values, for the same reason (e.g. {@code metadata.k}). */
  static <K, V> Map<K, V> copyKeepingNulls(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
