package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A service's retry policy makes a proxyless client retry failed attempts, and numRetries 0 turns that off. */
class RetryTest {
  private static final int CALLS = 10;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void twoRetriesOnUnavailableTurnTwoFailedAttemptsIntoASuccess() {
    mesh.service("a", "rt-on", 8501, "\"retryPolicy\":{\"numRetries\":2,\"retryOn\":[\"unavailable\"]}");
    EchoBackend flaky = mesh.backend("rt-on-1");
    flaky.failAttemptsBelow = 2;
    mesh.register("a", "rt-on", flaky, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("rt-on:8501");

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      answers.add(CallLoop.call(channel, 5_000));
    }
    System.out.println("[RetryTest] numRetries 2: answers " + answers + ", attempts seen " + flaky.calls.get());
    assertThat(answers).containsOnly("rt-on-1");
    assertThat(flaky.calls.get()).as("attempts the backend saw: 3 per call").isEqualTo(3 * CALLS);
  }

  @Test
  void noRetriesLeaveTheFirstAttemptsFailureToTheCaller() {
    mesh.service("a", "rt-off", 8502, "\"retryPolicy\":{\"numRetries\":0,\"retryOn\":[\"unavailable\"]}");
    EchoBackend flaky = mesh.backend("rt-off-1");
    flaky.failAttemptsBelow = 2;
    mesh.register("a", "rt-off", flaky, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("rt-off:8502");

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      answers.add(CallLoop.call(channel, 5_000));
    }
    System.out.println("[RetryTest] numRetries 0: answers " + answers + ", attempts seen " + flaky.calls.get());
    assertThat(answers).containsOnly("UNAVAILABLE");
    assertThat(flaky.calls.get()).as("attempts the backend saw: 1 per call").isEqualTo(CALLS);
  }
}
