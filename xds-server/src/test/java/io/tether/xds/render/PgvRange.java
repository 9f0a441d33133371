package io.tether.xds.render;

import java.math.BigDecimal;

/**
 * protoc-gen-validate's range rule, shared by numbers, durations and timestamps: with a lower bound
 * (gt/gte) below an upper one (lt/lte) the value must lie between them; with the lower bound at or
 * above the upper one the range is exclusive and the value must lie outside it.
 */
final class PgvRange {
  private PgvRange() {}

  /** Null when {@code v} is in range, else the range in words. */
  static String check(BigDecimal v, BigDecimal gt, BigDecimal gte, BigDecimal lt, BigDecimal lte) {
    BigDecimal lower = gt != null ? gt : gte;
    BigDecimal upper = lt != null ? lt : lte;
    boolean aboveLower = lower == null || (gt != null ? v.compareTo(gt) > 0 : v.compareTo(gte) >= 0);
    boolean belowUpper = upper == null || (lt != null ? v.compareTo(lt) < 0 : v.compareTo(lte) <= 0);
    String lowerText = lower == null ? "" : (gt != null ? "> " + gt : ">= " + gte);
    String upperText = upper == null ? "" : (lt != null ? "< " + lt : "<= " + lte);
    if (lower != null && upper != null && upper.compareTo(lower) <= 0) {
      return aboveLower || belowUpper ? null : lowerText + " or " + upperText;
    }
    if (aboveLower && belowUpper) {
      return null;
    }
    return lower != null && upper != null ? lowerText + " and " + upperText : lowerText + upperText;
  }
}
