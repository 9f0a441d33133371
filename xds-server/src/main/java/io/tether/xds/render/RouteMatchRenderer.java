package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.tether.model.HeaderMatch;
import io.tether.model.PathMatch;
import io.tether.model.QueryMatch;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A route rule's match as an xDS {@link RouteMatch}. Envoy gets headers as {@code string_match}; a
 * proxyless client the older {@code exact_match}/{@code prefix_match}/{@code safe_regex_match}/{@code
 * present_match} fields, since grpc-java's header matcher parser knows those and refuses (NACKs) a
 * {@code string_match} header as an unknown matcher type.
 */
final class RouteMatchRenderer {
  private RouteMatchRenderer() {}

  /** Which header matcher fields the client understands. */
  enum Client { ENVOY, PROXYLESS }

  /** Every call: the default route, after the rules. */
  static RouteMatch any() {
    return RouteMatch.newBuilder().setPrefix("/").build();
  }

  static RouteMatch render(io.tether.model.RouteMatch match, Client client) {
    RouteMatch.Builder out = RouteMatch.newBuilder();
    path(out, match.path());
    if (!match.methodsOrAny().isEmpty()) {
      out.addHeaders(methods(match.methodsOrAny(), client));
    }
    for (HeaderMatch h : match.headersOrAny()) {
      out.addHeaders(header(h, client));
    }
    for (QueryMatch q : match.queryParamsOrAny()) {
      out.addQueryParameters(query(q));
    }
    return out.build();
  }

  /** A path rule, or (a match on methods, headers or query parameters only) every path. */
  private static void path(RouteMatch.Builder out, PathMatch path) {
    if (path == null || path.prefix() != null) {
      out.setPrefix(path == null ? "/" : path.prefix());
    } else if (path.exact() != null) {
      out.setPath(path.exact());
    } else {
      out.setSafeRegex(regex(path.regex()));
    }
  }

  /** Envoy sees the method as the {@code :method} pseudo-header; several methods as one anchored alternation. */
  private static HeaderMatcher methods(List<String> methods, Client client) {
    HeaderMatch match = methods.size() == 1
        ? new HeaderMatch(":method", methods.get(0), null, null, null, null)
        : new HeaderMatch(":method", null, null, methods.stream().map(RouteMatchRenderer::literal)
            .collect(Collectors.joining("|")), null, null);
    return header(match, client);
  }

  private static HeaderMatcher header(HeaderMatch h, Client client) {
    HeaderMatcher.Builder out = HeaderMatcher.newBuilder().setName(h.name()).setInvertMatch(h.inverted());
    if (h.present() != null) {
      return out.setPresentMatch(true).build();
    }
    if (client == Client.ENVOY) {
      return out.setStringMatch(string(h.exact(), h.prefix(), h.regex())).build();
    }
    if (h.exact() != null) {
      out.setExactMatch(h.exact());
    } else if (h.prefix() != null) {
      out.setPrefixMatch(h.prefix());
    } else {
      out.setSafeRegexMatch(regex(h.regex()));
    }
    return out.build();
  }

  private static QueryParameterMatcher query(QueryMatch q) {
    QueryParameterMatcher.Builder out = QueryParameterMatcher.newBuilder().setName(q.name());
    if (q.present() != null) {
      return out.setPresentMatch(true).build();
    }
    return out.setStringMatch(string(q.exact(), q.prefix(), q.regex())).build();
  }

  private static StringMatcher string(String exact, String prefix, String regex) {
    StringMatcher.Builder out = StringMatcher.newBuilder();
    if (exact != null) {
      return out.setExact(exact).build();
    }
    if (prefix != null) {
      return out.setPrefix(prefix).build();
    }
    return out.setSafeRegex(regex(regex)).build();
  }

  /** An RE2 expression; both clients match it against the whole value. The engine is RE2 by default. */
  private static RegexMatcher regex(String regex) {
    return RegexMatcher.newBuilder().setRegex(regex).build();
  }

  /** A method name (an HTTP token) as RE2 text matching just itself: punctuation escaped. */
  private static String literal(String method) {
    StringBuilder out = new StringBuilder();
    for (char c : method.toCharArray()) {
      if (!Character.isLetterOrDigit(c)) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
