package io.tether.registry.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint's health as the registry reports it, polled every 10 ms: the distinct values it went
 * through, in order ({@code ABSENT} while not registered), so that a test sees a flip and back, not only
 * where it ended.
 */
public final class HealthTrace {
  private final ApiClient client;
  private final String path;
  private final List<String> seen = new ArrayList<>();

  public HealthTrace(ApiClient client, String namespace, String service, String endpointId) {
    this.client = client;
    this.path = "/v1/namespaces/" + namespace + "/services/" + service + "/endpoints/" + endpointId;
  }

  /** Reads the health now, and records it when it changed. */
  public String now() {
    ApiClient.Response r = client.get(path);
    String health = r.status() == 200 ? r.body().path("health").asText("HEALTHY") : "ABSENT";
    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(health)) {
      seen.add(health);
    }
    return health;
  }

  /** Polls until the health is {@code wanted}; returns the ms that took. */
  public long until(String wanted, Duration timeout) {
    return Poll.until(timeout, () -> wanted.equals(now()), () -> wanted + "; seen " + seen);
  }

  /** The distinct healths seen so far, in order. */
  public List<String> seen() {
    return List.copyOf(seen);
  }
}
