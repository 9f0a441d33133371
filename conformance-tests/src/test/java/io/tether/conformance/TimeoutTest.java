package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A service's per-request timeout bounds a proxyless client's calls, whatever deadline the caller set. */
class TimeoutTest {
  private static final long OWN_DEADLINE_MS = 10_000;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void perRequestTimeoutOfOneSecondEndsASlowCallWithDeadlineExceeded() {
    mesh.service("a", "to-slow", 8401, "\"timeout\":{\"perRequestTimeoutSeconds\":1}");
    EchoBackend slow = mesh.backend("to-slow-1");
    mesh.register("a", "to-slow", slow, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("to-slow:8401");
    // the first call also waits for the client's configuration: answered fast, it is not measured
    assertThat(CallLoop.call(channel, OWN_DEADLINE_MS)).isEqualTo("to-slow-1");
    slow.delayMs = 3_000;

    long start = System.nanoTime();
    String answer = CallLoop.call(channel, OWN_DEADLINE_MS);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("[TimeoutTest] perRequestTimeoutSeconds 1, backend 3 s, own deadline 10 s: " + answer + " after "
        + ms + " ms");
    assertThat(answer).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(ms).as("ms until the call ended").isBetween(900L, 2_000L);
  }

  @Test
  void withThePerRequestTimeoutDisabledTheSameSlowCallSucceeds() {
    mesh.service("a", "to-none", 8402, "\"timeout\":{\"perRequestTimeoutSeconds\":0}");
    EchoBackend slow = mesh.backend("to-none-1");
    mesh.register("a", "to-none", slow, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("to-none:8402");
    assertThat(CallLoop.call(channel, OWN_DEADLINE_MS)).isEqualTo("to-none-1");
    slow.delayMs = 3_000;

    long start = System.nanoTime();
    String answer = CallLoop.call(channel, OWN_DEADLINE_MS);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("[TimeoutTest] perRequestTimeoutSeconds 0, backend 3 s, own deadline 10 s: " + answer + " after "
        + ms + " ms");
    assertThat(answer).isEqualTo("to-none-1");
    assertThat(ms).as("ms until the answer").isGreaterThanOrEqualTo(3_000L);
  }
}
