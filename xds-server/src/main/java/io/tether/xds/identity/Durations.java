package io.tether.xds.identity;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as options spell them: a whole number and a unit, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})([smhd])");

  private Durations() {}

  public static Duration parse(String option, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid value for " + option + ": '" + text
          + "' (a whole number and s, m, h or d, e.g. 24h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
