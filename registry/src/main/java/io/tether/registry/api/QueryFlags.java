package io.tether.registry.api;

import io.tether.model.InvalidSpecException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Boolean query parameters ({@code ?effective=true}), checked at the edge like every other input:
 * absent, {@code true} or {@code false}. Anything else (a typo, {@code effective=}, {@code =1}) is 400
 * rather than a silent {@code false}, which would answer a question the client did not ask.
 */
final class QueryFlags {
  private QueryFlags() {}

  static boolean flag(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParams().getAll(name);
    if (values.isEmpty()) {
      return false;
    }
    if (values.size() == 1 && (values.get(0).equals("true") || values.get(0).equals("false"))) {
      return values.get(0).equals("true");
    }
    throw new InvalidSpecException(name, name + " must be true or false, once");
  }
}
