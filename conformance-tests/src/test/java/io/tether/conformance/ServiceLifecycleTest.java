package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Services created or deleted while a proxyless client runs are picked up without restarting it. */
class ServiceLifecycleTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  /**
   * The server answers a request for a name that does not exist at once (an empty listener response,
   * which the client ACKs), but grpc-java only concludes "does not exist" when its own 15 s initial
   * fetch timer fires: only then does a pending call fail with UNAVAILABLE. The service created after
   * that must still reach the same channel.
   */
  @Test
  void serviceCreatedAfterTheClientStartedBecomesReachableWithoutRestartingIt() throws Exception {
    mesh.service("a", "sl-existing", 8201, ""); // the namespace exists, the service below does not yet
    XdsClient client = mesh.client("a", Mesh.AGENT_A);
    ManagedChannel channel = client.channel("sl-late:8202");
    long firstStart = System.nanoTime();
    ListenableFuture<String> first = ClientCalls.futureUnaryCall(
        channel.newCall(EchoBackend.CALL, CallOptions.DEFAULT.withDeadlineAfter(25, TimeUnit.SECONDS)), "hello");

    long answeredMs = Poll.until(Duration.ofSeconds(10), () -> !ldsAcked(client.nodeId).isEmpty(),
        () -> "the server answers the client's listener request for a missing name; /v1/proxies: "
            + mesh.api.get("/v1/proxies").raw());
    System.out.println("[ServiceLifecycleTest] channel created -> server's answer for the missing name ACKed: "
        + answeredMs + " ms");

    String firstAnswer;
    try {
      firstAnswer = first.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      firstAnswer = Status.fromThrowable(e.getCause()).getCode().name();
    }
    long firstMs = (System.nanoTime() - firstStart) / 1_000_000;
    System.out.println("[ServiceLifecycleTest] first call to a service that does not exist: " + firstAnswer + " after "
        + firstMs + " ms (grpc-java's initial fetch timer is 15 s)");
    assertThat(firstAnswer).as("a call to a name that does not exist").isEqualTo("UNAVAILABLE");
    assertThat(CallLoop.call(channel, 2_000)).as("a second call, once the client concluded the name does not exist")
        .isEqualTo("UNAVAILABLE");

    mesh.service("a", "sl-late", 8202, "");
    EchoBackend backend = mesh.backend("sl-late-1");
    mesh.register("a", "sl-late", backend, "HEALTHY");
    List<String> answers = new ArrayList<>();
    long ms = Poll.until(Duration.ofSeconds(10), () -> {
      answers.add(CallLoop.call(channel, 2_000));
      return answers.get(answers.size() - 1).equals("sl-late-1");
    }, () -> "the new service reachable on the same channel; last answers " + tail(answers));
    System.out.println("[ServiceLifecycleTest] service + endpoint written -> first answer on the same channel: " + ms
        + " ms (" + answers.size() + " calls)");
    assertThat(answers.subList(0, answers.size() - 1)).as("calls before it became reachable")
        .allMatch(a -> a.equals("UNAVAILABLE"));
    for (int i = 0; i < 20; i++) {
      assertThat(CallLoop.call(channel, 2_000)).isEqualTo("sl-late-1");
    }
  }

  @Test
  void deletedServiceStopsBeingReachable() {
    mesh.service("a", "sl-deleted", 8203, "");
    EchoBackend backend = mesh.backend("sl-deleted-1");
    mesh.register("a", "sl-deleted", backend, "HEALTHY");
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("sl-deleted:8203");
    assertThat(CallLoop.call(channel, 5_000)).isEqualTo("sl-deleted-1");

    mesh.api.delete("/v1/namespaces/a/services/sl-deleted").expect(204);
    List<String> answers = new ArrayList<>();
    long ms = Poll.until(Duration.ofSeconds(10), () -> {
      answers.add(CallLoop.call(channel, 2_000));
      return !answers.get(answers.size() - 1).equals("sl-deleted-1");
    }, () -> "calls fail after the deletion; last answers " + tail(answers));
    System.out.println("[ServiceLifecycleTest] service deleted -> first failing call: " + ms + " ms");
    assertThat(answers.get(answers.size() - 1)).isEqualTo("UNAVAILABLE");
    int callsSeen = backend.calls.get();
    for (int i = 0; i < 20; i++) {
      assertThat(CallLoop.call(channel, 2_000)).isEqualTo("UNAVAILABLE");
    }
    assertThat(backend.calls.get()).as("calls the deleted service's backend saw after the deletion")
        .isEqualTo(callsSeen);
  }

  /** The listener version the node ACKed, "" when none (or the node is not connected). */
  private static String ldsAcked(String nodeId) {
    JsonNode body = mesh.api.get("/v1/proxies").expect(200).body();
    for (JsonNode item : body.path("items")) {
      JsonNode stream = item.path("stream");
      if (stream.path("nodeId").asText().equals(nodeId)) {
        return stream.path("ackedVersions").path("LDS").asText("");
      }
    }
    return "";
  }

  private static List<String> tail(List<String> answers) {
    return answers.subList(Math.max(0, answers.size() - 10), answers.size());
  }
}
