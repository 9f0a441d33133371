package io.tether.registry.api;

import io.tether.model.InvalidSpecException;
import io.tether.registry.store.Precondition;
import java.util.regex.Pattern;

/**
 * Reads {@code If-Match} and {@code If-None-Match}; ETags are the quoted etcd mod revision, e.g. {@code
 * "42"}. The quotes (and a weak {@code W/}) may be left out, as people do with curl.
 */
final class IfMatchHeaders {
  private static final Pattern REVISION = Pattern.compile("[1-9][0-9]{0,18}");

  private IfMatchHeaders() {}

  static Precondition parse(String ifMatch, String ifNoneMatch) {
    if (ifMatch != null && ifNoneMatch != null) {
      throw new InvalidSpecException("If-Match", "send If-Match or If-None-Match, not both");
    }
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw new InvalidSpecException("If-None-Match", "only If-None-Match: * is supported");
      }
      return Precondition.ifNoneMatchAny();
    }
    if (ifMatch == null) {
      return Precondition.NONE;
    }
    String tag = ifMatch.trim();
    if (tag.equals("*")) {
      return new Precondition(null, true, false);
    }
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    // Only the digits this API writes: Long.parseLong alone would also take "+42" and "042".
    try {
      if (REVISION.matcher(tag).matches()) {
        return Precondition.ifMatch(Long.parseLong(tag));
      }
    } catch (NumberFormatException e) {
      // above int64: refused below
    }
    throw new InvalidSpecException("If-Match", "If-Match must be an ETag returned by this API, e.g. \"42\"");
  }

  static String etag(long revision) {
    return "\"" + revision + "\"";
  }
}
