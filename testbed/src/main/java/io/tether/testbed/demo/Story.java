package io.tether.testbed.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo shows, step by step, on a running mesh: calls by name spread over both backends, a
 * policy change taking effect, a backend drained with no failed call. Each step prints the caller's
 * tallies and checks its claim; {@link #broken} lists the claims that did not hold.
 */
final class Story {
  static final List<String> BACKENDS = List.of("w1", "w2");
  private static final String SERVICE = "/v1/namespaces/" + DemoServer.NAMESPACE + "/services/web";

  private final DemoServer server;
  private final Tallies tallies;
  private final Map<String, DemoTask> backends;
  private final PrintStream out;
  private final List<String> broken = new ArrayList<>();
  private String drained; // the backend alice's calls land on once they are hashed

  Story(DemoServer server, Tallies tallies, Map<String, DemoTask> backends, PrintStream out) {
    this.server = server;
    this.tallies = tallies;
    this.backends = backends;
    this.out = out;
  }

  /** The spec of {@code web}, an HTTP service with one alias, checked by the agents over HTTP every second. */
  static Map<String, Object> webSpec(Map<String, Object> policy) {
    Map<String, Object> spec = new LinkedHashMap<>(Map.of("discoveryName", "web", "portName", "http",
        "appProtocol", "http", "clientAliases", List.of(Map.of("dnsName", "web", "port", 8080)),
        "healthCheck", Map.of("protocol", "http", "path", "/health", "intervalSeconds", 1, "timeoutSeconds", 1,
            "healthyThreshold", 1, "unhealthyThreshold", 2)));
    spec.putAll(policy);
    return spec;
  }

  List<String> run() throws InterruptedException {
    spread();
    hashing();
    drain();
    return broken;
  }

  private void spread() throws InterruptedException {
    step("traffic", "the caller calls http://web:8080/ by name through its sidecar; Envoy spreads the calls");
    tallies.first(t -> t.failed() == 0 && BACKENDS.stream().allMatch(b -> t.of(b) > 0), Duration.ofSeconds(60),
        "calls answered by both backends");
    check(show(3).stream().allMatch(t -> t.failed() == 0 && BACKENDS.stream().allMatch(b -> t.of(b) > 0)),
        "every second, both w1 and w2 answer; no call fails");
  }

  private void hashing() throws InterruptedException {
    step("policy", "PUT web {\"loadBalancing\": \"RING_HASH\", \"hashOn\": {\"header\": \"x-user\"}}: "
        + "every call says x-user: alice");
    long written = System.nanoTime();
    server.put(SERVICE, webSpec(Map.of("loadBalancing", "RING_HASH", "hashOn", Map.of("header", DemoCaller.USER_HEADER))));
    Tally first = tallies.first(t -> t.calls() > 0 && t.answers().size() == 1, Duration.ofSeconds(10),
        "calls on one backend");
    out.printf("    the first second with every call on one backend ended %.1f s after the write%n",
        (System.nanoTime() - written) / 1e9);
    String hashed = first.answers().keySet().iterator().next();
    check(show(3).stream().allMatch(t -> t.failed() == 0 && t.of(hashed) == t.calls()),
        "alice's calls all land on " + hashed + "; no call fails");
    drained = hashed;
  }

  private void drain() throws InterruptedException {
    String other = BACKENDS.stream().filter(b -> !b.equals(drained)).findFirst().orElseThrow();
    step("drain", "SIGTERM to " + drained + "'s agent (the task alice's calls land on)");
    backends.get(drained).stop();
    List<Tally> during = new ArrayList<>();
    String state = "HEALTHY";
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while ((!state.equals("gone") || backends.get(drained).alive()) && System.nanoTime() < deadline) {
      during.add(print(tallies.next()));
      String now = endpointState(drained);
      if (!now.equals(state)) {
        out.printf("    %s is %s%n", drained, now);
        state = now;
      }
    }
    during.addAll(show(2));
    check(state.equals("gone") && !backends.get(drained).alive(), drained + " went DRAINING, then left the registry");
    check(during.stream().allMatch(t -> t.failed() == 0), "no call failed while " + drained + " drained");
    check(during.get(during.size() - 1).of(other) == during.get(during.size() - 1).calls(), "then " + other + " answers every call");
  }

  private String endpointState(String id) {
    String path = SERVICE + "/endpoints/" + id;
    return server.status(path) == 404 ? "gone" : server.get(path).path("health").asText("HEALTHY");
  }

  /** Prints the next {@code n} tallies and returns them. */
  private List<Tally> show(int n) throws InterruptedException {
    List<Tally> shown = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shown.add(print(tallies.next()));
    }
    return shown;
  }

  private Tally print(Tally t) {
    out.println("    " + t.line());
    return t;
  }

  void step(String name, String what) {
    out.printf("%n[%s] %s%n", name, what);
  }

  private void check(boolean held, String claim) {
    out.println((held ? "  ok: " : "  NOT SO: ") + claim);
    if (!held) {
      broken.add(claim);
    }
  }

  /** What the services list says {@code web}'s alias resolves to. */
  String vip() {
    for (JsonNode s : server.get("/v1/namespaces/" + DemoServer.NAMESPACE + "/services").path("items")) {
      if (s.path("discoveryName").asText().equals("web")) {
        return s.at("/clientAliases/0/vip").asText();
      }
    }
    throw new IllegalStateException("no service web");
  }
}
