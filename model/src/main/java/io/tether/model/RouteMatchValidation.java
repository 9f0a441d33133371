package io.tether.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a route rule may match on: a path (prefix, exact or an RE2 expression), methods, headers and query
 * parameters. For a grpc service, only what a gRPC client can be matched on: its path and its ordinary
 * metadata (every call is a POST, there is no query string, and grpc-java hides {@code grpc-*} and
 * {@code -bin} headers from route matching), so that no rule silently means something else to a
 * proxyless client than to an Envoy sidecar.
 */
final class RouteMatchValidation {
  static final int MAX_CONDITIONS = 8;
  static final int MAX_REGEX = 200;
  static final int MAX_VALUE = 256;
  /** What grpc-java's Metadata.Key takes: a header name it cannot hold never reaches its route matching. */
  private static final java.util.regex.Pattern GRPC_METADATA_KEY = java.util.regex.Pattern.compile("[0-9a-z_.-]+");

  private RouteMatchValidation() {}

  static void match(String field, RouteMatch match, AppProtocol protocol) {
    if (match == null || (match.path() == null && match.methods() == null && match.headers() == null
        && match.queryParams() == null)) {
      throw new InvalidSpecException(field, field
          + " must name a path, methods, headers or queryParams: the service itself takes every other call");
    }
    boolean grpc = protocol == AppProtocol.GRPC;
    if (match.path() != null) {
      path(field + ".path", match.path());
    }
    if (match.methods() != null) {
      if (grpc) {
        throw new InvalidSpecException(field + ".methods", "every gRPC call is a POST; match on path");
      }
      AuthorizationValidation.methods(field + ".methods", match.methods());
    }
    if (match.headers() != null) {
      headers(field + ".headers", match.headers(), grpc);
    }
    if (match.queryParams() != null) {
      if (grpc) {
        throw new InvalidSpecException(field + ".queryParams", "a gRPC call has no query string");
      }
      queryParams(field + ".queryParams", match.queryParams());
    }
  }

  private static void path(String field, PathMatch path) {
    int given = count(path.prefix(), path.exact(), path.regex());
    if (given != 1) {
      throw new InvalidSpecException(field, field + " must hold exactly one of prefix, exact, regex");
    }
    if (path.regex() != null) {
      regex(field + ".regex", path.regex());
      return;
    }
    String key = path.prefix() != null ? ".prefix" : ".exact";
    String value = path.prefix() != null ? path.prefix() : path.exact();
    if (!value.startsWith("/") || value.length() > MAX_VALUE || !printable(value) || value.indexOf('?') >= 0
        || value.indexOf('#') >= 0) {
      throw new InvalidSpecException(field + key, field + key + " must start with '/', be at most " + MAX_VALUE
          + " printable ASCII characters without spaces, '?' or '#' (the path is matched without its query)");
    }
  }

  private static void headers(String field, List<HeaderMatch> headers, boolean grpc) {
    size(field, headers.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < headers.size(); i++) {
      String entry = field + "[" + i + "]";
      HeaderMatch h = headers.get(i);
      if (h == null) {
        throw new InvalidSpecException(entry, entry + " must be an object");
      }
      header(entry, h, grpc);
      if (!seen.add(h.name())) {
        throw new InvalidSpecException(entry + ".name", "header " + h.name() + " is matched twice in " + field);
      }
    }
  }

  /** One header condition: its name (as {@code grpc} clients can match it) and exactly one way to match it. */
  static void header(String entry, HeaderMatch h, boolean grpc) {
    headerName(entry + ".name", h.name(), grpc);
    value(entry, h.exact(), h.prefix(), h.regex(), h.present());
  }

  private static void headerName(String field, String name, boolean grpc) {
    if (name == null || name.isEmpty() || name.length() > MAX_VALUE || !name.equals(name.toLowerCase(Locale.ROOT))
        || name.startsWith(":")) {
      throw new InvalidSpecException(field, field
          + " must be a lower-case HTTP header name, not a pseudo-header (use path or methods)");
    }
    Validation.token(field, name);
    if (grpc && (name.startsWith("grpc-") || name.endsWith("-bin"))) {
      throw new InvalidSpecException(field, "gRPC clients do not match on grpc-* or *-bin headers, was '" + name + "'");
    }
    if (grpc && !GRPC_METADATA_KEY.matcher(name).matches()) {
      throw new InvalidSpecException(field, field + " must be a gRPC metadata key (lower-case letters, digits, "
          + "'-', '_' and '.'), was '" + name + "'");
    }
  }

  private static void queryParams(String field, List<QueryMatch> params) {
    size(field, params.size());
    for (int i = 0; i < params.size(); i++) {
      String entry = field + "[" + i + "]";
      QueryMatch q = params.get(i);
      if (q == null) {
        throw new InvalidSpecException(entry, entry + " must be an object");
      }
      if (q.name() == null || q.name().isEmpty() || q.name().length() > MAX_VALUE || !printable(q.name())) {
        throw new InvalidSpecException(entry + ".name", entry + ".name must be 1 to " + MAX_VALUE
            + " printable ASCII characters without spaces");
      }
      value(entry, q.exact(), q.prefix(), q.regex(), q.present());
    }
  }

  /** Exactly one way to match a value: {@code exact}, a non-empty {@code prefix}, {@code regex}, or {@code present: true}. */
  private static void value(String entry, String exact, String prefix, String regex, Boolean present) {
    if (count(exact, prefix, regex, present) != 1) {
      throw new InvalidSpecException(entry, entry + " must hold exactly one of exact, prefix, regex, present");
    }
    if (present != null && !present) {
      throw new InvalidSpecException(entry + ".present", entry
          + ".present must be true (for an absent header, add \"invert\": true)");
    }
    if (prefix != null && prefix.isEmpty()) {
      throw new InvalidSpecException(entry + ".prefix", entry + ".prefix must not be empty (use present)");
    }
    for (String text : new String[] {exact, prefix}) {
      if (text != null && text.length() > MAX_VALUE) {
        throw new InvalidSpecException(entry, entry + " values are at most " + MAX_VALUE + " characters");
      }
    }
    if (regex != null) {
      regex(entry + ".regex", regex);
    }
  }

  /**
   * An RE2 expression, checked with re2j: grpc-java's own engine, and the syntax Envoy's RE2 takes, and
   * small enough a program for Envoy's RE2, so that neither client refuses (NACKs) what the registry accepted.
   */
  private static void regex(String field, String regex) {
    if (regex.isEmpty() || regex.length() > MAX_REGEX) {
      throw new InvalidSpecException(field, field + " must be 1 to " + MAX_REGEX + " characters");
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidSpecException(field, field + " is not an RE2 expression: " + e.getMessage());
    }
    int program = RegexProgramSize.of(regex);
    if (program > RegexProgramSize.MAX) {
      throw new InvalidSpecException(field, field + " compiles to an RE2 program of up to " + program
          + " instructions, more than the " + RegexProgramSize.MAX + " Envoy is given; use + or * rather than large "
          + "counted repetitions, and ASCII classes rather than '.' or Unicode ones");
    }
  }

  private static void size(String field, int size) {
    if (size == 0 || size > MAX_CONDITIONS) {
      throw new InvalidSpecException(field, field + " must list 1 to " + MAX_CONDITIONS
          + " entries (leave it out to match any)");
    }
  }

  private static int count(Object... values) {
    int n = 0;
    for (Object v : values) {
      if (v != null) {
        n++;
      }
    }
    return n;
  }

  private static boolean printable(String s) {
    return s.chars().allMatch(c -> c > ' ' && c < 0x7f);
  }
}
