package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outlier detection ejects a replica that fails every call: a proxyless client stops calling it and
 * its calls succeed on the others. Every call is bounded by its own deadline (grpc-java's
 * outlier-detection defect can hang calls, docs/xds-clients.md); calls that hit it are counted.
 */
class OutlierDetectionTest {
  private static final long CALL_TIMEOUT_MS = 2_000;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void replicaFailingEveryCallIsEjectedAndGetsNoMoreCalls() {
    // no retries: a call that reaches the failing replica fails, so "all calls succeed" means something
    mesh.service("a", "od-svc", 8601, "\"retryPolicy\":{\"numRetries\":0},"
        + "\"outlierDetection\":{\"consecutive5xx\":5,\"intervalMs\":500,\"baseEjectionTimeMs\":30000,"
        + "\"maxEjectionPercent\":50}");
    EchoBackend good1 = mesh.backend("od-good-1");
    EchoBackend good2 = mesh.backend("od-good-2");
    EchoBackend bad = mesh.backend("od-bad");
    bad.failAll = true;
    for (EchoBackend b : List.of(good1, good2, bad)) {
      mesh.register("a", "od-svc", b, "HEALTHY");
    }
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("od-svc:8601");

    int timedOut = 0;
    int calls = 0;
    Set<String> seen = new HashSet<>();
    List<String> recent = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + 20_000_000_000L;
    long lastBadCallNanos = 0;
    int quietInARow = 0;
    // call until the failing replica got none of 50 consecutive calls
    while (quietInARow < 50) {
      assertThat(System.nanoTime()).as("the failing replica ejected within 20 s; %d calls, %d timed out, last %s",
          calls, timedOut, recent.subList(Math.max(0, recent.size() - 20), recent.size())).isLessThan(deadline);
      int badBefore = bad.calls.get();
      String answer = CallLoop.call(channel, CALL_TIMEOUT_MS);
      calls++;
      recent.add(answer);
      seen.add(answer);
      if (answer.equals("DEADLINE_EXCEEDED") || answer.equals(CallLoop.HUNG)) {
        timedOut++;
      }
      if (bad.calls.get() != badBefore) {
        lastBadCallNanos = System.nanoTime();
        quietInARow = 0;
      } else {
        quietInARow++;
      }
    }
    long ejectionMs = (lastBadCallNanos - start) / 1_000_000;
    System.out.println("[OutlierDetectionTest] calls started -> last call reaching the failing replica: " + ejectionMs
        + " ms (" + calls + " calls, " + bad.calls.get() + " reached it, " + timedOut
        + " hit their own " + CALL_TIMEOUT_MS + " ms timeout)");
    assertThat(seen).as("answers before the ejection").contains("od-good-1", "od-good-2", "UNAVAILABLE");
    assertThat(bad.calls.get()).as("calls that reached the failing replica before it was ejected").isPositive();

    int badBefore = bad.calls.get();
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      after.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
    }
    long hung = after.stream().filter(a -> a.equals("DEADLINE_EXCEEDED") || a.equals(CallLoop.HUNG)).count();
    System.out.println("[OutlierDetectionTest] 100 calls after the ejection: " + hung + " hit their own timeout");
    assertThat(bad.calls.get()).as("calls the ejected replica saw in the next 100").isEqualTo(badBefore);
    assertThat(after).as("the next 100 calls").containsOnly("od-good-1", "od-good-2")
        .contains("od-good-1", "od-good-2");
  }
}
