package io.tether.xds.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * A service's {@code routes} as an operator would write them, in JSON, for {@link RouteRenderBenchmark}:
 * rule i matches, in turn, a path prefix, an exact path, a path regex, a header or a query parameter,
 * and every other rule splits its calls between another routed service and this one.
 */
final class RouteRules {
  private RouteRules() {}

  /**
   * {@code n} rules of the routed service number {@code self} (of {@code routed}: svc0, svc3, …); split
   * rules send {@code weight} percent to another routed service, the rest to this one.
   */
  static String json(int self, int n, int routed, int weight) {
    List<String> rules = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int other = (self + 1 + i % (routed - 1)) % routed;
      String to = i % 2 == 0
          ? "[{\"service\": \"svc" + 3 * (i % routed) + "\"}]"
          : "[{\"service\": \"svc" + 3 * other + "\", \"weight\": " + weight + "}, {\"weight\": "
              + (100 - weight) + "}]";
      rules.add("{\"name\": \"r" + i + "\", \"match\": " + match(i) + ", \"to\": " + to + "}");
    }
    return "[" + String.join(", ", rules) + "]";
  }

  private static String match(int i) {
    return switch (i % 5) {
      case 0 -> "{\"path\": {\"prefix\": \"/api/v" + i + "/\"}}";
      case 1 -> "{\"path\": {\"exact\": \"/items/" + i + "\"}, \"methods\": [\"GET\", \"POST\"]}";
      case 2 -> "{\"path\": {\"regex\": \"/users/[a-z0-9-]+/orders/" + i + "\"}}";
      case 3 -> "{\"headers\": [{\"name\": \"x-tenant\", \"exact\": \"t" + i + "\"}]}";
      default -> "{\"queryParams\": [{\"name\": \"beta" + i + "\", \"present\": true}]}";
    };
  }
}
