package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Endpoint changes reach a running proxyless client within a second: a registered endpoint starts
 * getting calls, a removed one stops, and UNHEALTHY or DRAINING endpoints get no new calls.
 */
class EndpointChangesTest {
  private static final long CALL_TIMEOUT_MS = 2_000;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void newlyRegisteredEndpointGetsCallsWithinOneSecond() {
    mesh.service("a", "ec-add", 8101, "");
    EchoBackend first = mesh.backend("ec-add-1");
    EchoBackend added = mesh.backend("ec-add-2");
    mesh.register("a", "ec-add", first, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("ec-add:8101");
    assertThat(CallLoop.call(channel, 5_000)).isEqualTo("ec-add-1");

    try (CallLoop loop = new CallLoop(channel, CALL_TIMEOUT_MS)) {
      mesh.register("a", "ec-add", added, "HEALTHY");
      long written = System.nanoTime();
      Poll.until(Duration.ofSeconds(5),
          () -> loop.after(written).stream().anyMatch(r -> r.answer().equals("ec-add-2")),
          () -> "the new endpoint never answered; answers since the write: " + answers(loop.after(written)));
      long firstAnswerNanos = loop.after(written).stream().filter(r -> r.answer().equals("ec-add-2"))
          .findFirst().orElseThrow().endNanos();
      long ms = (firstAnswerNanos - written) / 1_000_000;
      System.out.println("[EndpointChangesTest] registry write -> first call answered by the new endpoint: "
          + ms + " ms");
      assertThat(ms).as("ms from the registry write to the new endpoint's first answer").isLessThan(1_000);
      assertThat(answers(loop.after(written))).as("every call succeeds meanwhile")
          .allMatch(a -> a.startsWith("ec-add-"));
    }
  }

  @Test
  void removedEndpointStopsGettingCallsWithinOneSecond() {
    mesh.service("a", "ec-remove", 8102, "");
    EchoBackend kept = mesh.backend("ec-remove-1");
    EchoBackend removed = mesh.backend("ec-remove-2");
    mesh.register("a", "ec-remove", kept, "HEALTHY");
    mesh.register("a", "ec-remove", removed, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("ec-remove:8102");
    Set<String> seen = new HashSet<>();
    Poll.until(Duration.ofSeconds(10), () -> {
      seen.add(CallLoop.call(channel, 5_000));
      return seen.containsAll(Set.of("ec-remove-1", "ec-remove-2"));
    }, () -> "both endpoints answering; seen " + seen);

    long written;
    List<CallLoop.Result> since;
    List<CallLoop.Result> allResults;
    try (CallLoop loop = new CallLoop(channel, CALL_TIMEOUT_MS)) {
      Poll.until(Duration.ofSeconds(5), () -> loop.results.stream().anyMatch(r -> r.answer().equals("ec-remove-2")),
          "the loop reaches the endpoint about to be removed");
      mesh.deregister("a", "ec-remove", removed);
      written = System.nanoTime();
      // keep calling for 2 s after the write: long enough to see a late answer, were there one
      Poll.until(Duration.ofSeconds(5), () -> System.nanoTime() - written > 2_000_000_000L, "2 s of calls");
      since = loop.after(written);
      allResults = List.copyOf(loop.results);
    }
    int removedCallsAfterLoop = removed.calls.get();
    // the removed endpoint's last answer, relative to the write's response (negative: before it)
    long lastAnswerNanos = allResults.stream().filter(r -> r.answer().equals("ec-remove-2"))
        .mapToLong(CallLoop.Result::endNanos).max().orElseThrow();
    long ms = (lastAnswerNanos - written) / 1_000_000;
    System.out.println("[EndpointChangesTest] registry write -> last call answered by the removed endpoint: " + ms
        + " ms (" + since.stream().filter(r -> r.answer().equals("ec-remove-2")).count() + " of the " + since.size()
        + " calls in the 2 s after the write reached it)");
    assertThat(ms).as("ms from the deregistration to the removed endpoint's last answer").isLessThan(1_000);
    assertThat(since).as("calls made after the write").hasSizeGreaterThan(50);
    assertThat(answers(since)).as("calls after the write all succeed").allMatch(a -> a.startsWith("ec-remove-"));
    for (int i = 0; i < 20; i++) {
      assertThat(CallLoop.call(channel, CALL_TIMEOUT_MS)).isEqualTo("ec-remove-1");
    }
    assertThat(removed.calls.get()).as("calls the removed backend saw").isEqualTo(removedCallsAfterLoop);
  }

  @Test
  void unhealthyAndDrainingEndpointsGetNoNewCalls() {
    mesh.service("a", "ec-health", 8103, "");
    EchoBackend healthy = mesh.backend("ec-health-ok");
    EchoBackend unhealthy = mesh.backend("ec-health-unhealthy");
    EchoBackend draining = mesh.backend("ec-health-draining");
    for (EchoBackend b : List.of(healthy, unhealthy, draining)) {
      mesh.register("a", "ec-health", b, "HEALTHY");
    }
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("ec-health:8103");
    Set<String> seen = new HashSet<>();
    Poll.until(Duration.ofSeconds(10), () -> {
      seen.add(CallLoop.call(channel, 5_000));
      return seen.size() >= 3;
    }, () -> "all three endpoints answering; seen " + seen);
    assertThat(seen).containsExactlyInAnyOrder("ec-health-ok", "ec-health-unhealthy", "ec-health-draining");

    String endpoints = "/v1/namespaces/a/services/ec-health/endpoints/";
    mesh.api.put(endpoints + unhealthy.name + "/health", "{\"health\":\"UNHEALTHY\"}").expect(200);
    mesh.api.put(endpoints + draining.name + "/health", "{\"health\":\"DRAINING\"}").expect(200);

    // call back to back until 50 answers in a row come from the healthy endpoint
    long written = System.nanoTime();
    long deadline = written + 10_000_000_000L;
    long streakStart = 0;
    int inARow = 0;
    List<String> recent = new ArrayList<>();
    while (inARow < 50) {
      assertThat(System.nanoTime()).as("50 calls in a row to the healthy endpoint within 10 s; last answers %s",
          recent.subList(Math.max(0, recent.size() - 20), recent.size())).isLessThan(deadline);
      long before = System.nanoTime();
      String answer = CallLoop.call(channel, CALL_TIMEOUT_MS);
      recent.add(answer);
      if (answer.equals("ec-health-ok")) {
        streakStart = inARow == 0 ? before : streakStart;
        inARow++;
      } else {
        inARow = 0;
      }
    }
    System.out.println("[EndpointChangesTest] health writes -> start of 50 calls in a row on the healthy endpoint: "
        + (streakStart - written) / 1_000_000 + " ms");

    int unhealthyBefore = unhealthy.calls.get();
    int drainingBefore = draining.calls.get();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
    }
    assertThat(answers).containsOnly("ec-health-ok");
    assertThat(unhealthy.calls.get()).as("calls the UNHEALTHY endpoint saw").isEqualTo(unhealthyBefore);
    assertThat(draining.calls.get()).as("calls the DRAINING endpoint saw").isEqualTo(drainingBefore);
  }

  private static List<String> answers(List<CallLoop.Result> results) {
    return results.stream().map(CallLoop.Result::answer).toList();
  }
}
