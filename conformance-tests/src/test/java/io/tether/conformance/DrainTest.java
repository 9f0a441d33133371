package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.tether.registry.cli.EndpointCommands;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code tether ep drain}: a drained endpoint stops getting new calls from a real grpc-java xDS client,
 * its agent's health reports and re-registration do not bring them back, and an undrain does.
 */
class DrainTest {
  private static final long CALL_TIMEOUT_MS = 2_000;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String EPS = "/v1/namespaces/a/services/dr-web/endpoints/";

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void aDrainedEndpointGetsNoNewCallsWhateverItsAgentReportsUntilUndrained() {
    mesh.service("a", "dr-web", 8201, "");
    EchoBackend kept = mesh.backend("dr-kept");
    EchoBackend drained = mesh.backend("dr-drained");
    mesh.register("a", "dr-web", kept, "HEALTHY");
    ApiClient agent = mesh.api.as(Mesh.AGENT_A);
    String lease = agent.post("/v1/leases", "{\"ttlSeconds\":60,\"namespace\":\"a\"}").expect(201).body()
        .path("leaseId").asText();
    String registration = "{\"address\":\"127.0.0.1\",\"port\":" + drained.port()
        + ",\"health\":\"HEALTHY\",\"leaseId\":\"" + lease + "\"}";
    agent.put(EPS + drained.name, registration).expect(201);
    ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("dr-web:8201");
    awaitAnswers(channel, Set.of(kept.name, drained.name));

    assertThat(cli("drain", "-n", "a", "dr-web", drained.name)).contains("endpoint/a/dr-web/dr-drained drained");
    awaitOnly(channel, kept.name);

    // The agent reports its health and registers again, as it does on every check and restart; then a
    // barrier: a new endpoint the client is seen to call is a later update than the agent's writes.
    agent.put(EPS + drained.name + "/health", "{\"health\":\"HEALTHY\"}").expect(200);
    agent.put(EPS + drained.name, registration).expect(200);
    EchoBackend barrier = mesh.backend("dr-barrier");
    mesh.register("a", "dr-web", barrier, "HEALTHY");
    awaitAnswers(channel, Set.of(barrier.name));
    int before = drained.calls.get();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
    }
    assertThat(answers).containsOnly(kept.name, barrier.name);
    assertThat(drained.calls.get()).as("calls the drained endpoint saw after its agent's writes").isEqualTo(before);

    assertThat(cli("undrain", "-n", "a", "dr-web", drained.name)).contains("undrained");
    awaitAnswers(channel, Set.of(drained.name));
  }

  @Test
  void deleteRemovesTheEndpointAndAMissingOneIsOneErrorLine() {
    mesh.service("a", "dr-del", 8202, "");
    EchoBackend gone = mesh.backend("dr-gone");
    mesh.register("a", "dr-del", gone, "HEALTHY");
    assertThat(cli("delete", "-n", "a", "dr-del", gone.name)).contains("endpoint/a/dr-del/dr-gone deleted");
    mesh.api.get("/v1/namespaces/a/services/dr-del/endpoints/" + gone.name).expect(404);

    StringWriter err = new StringWriter();
    int exit = new CommandLine(new EndpointCommands()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err)).execute("drain", "-n", "a", "dr-del", gone.name, "--server", mesh.apiUrl(),
            "--token", Mesh.ADMIN);
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("error: NOT_FOUND").doesNotContain("\n");
    int usage = new CommandLine(new EndpointCommands()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(new StringWriter())).execute("drain", "dr-del", gone.name);
    assertThat(usage).as("no -n is a usage error").isEqualTo(2);
  }

  private static void awaitAnswers(ManagedChannel channel, Set<String> wanted) {
    Set<String> seen = new HashSet<>();
    Poll.until(WAIT, () -> {
      seen.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
      return seen.containsAll(wanted);
    }, () -> "answers from " + wanted + "; seen " + seen);
  }

  /** Calls until 50 answers in a row come from {@code backend}. */
  private static void awaitOnly(ManagedChannel channel, String backend) {
    int[] inARow = {0};
    Poll.until(WAIT, () -> {
      inARow[0] = CallLoop.call(channel, CALL_TIMEOUT_MS).equals(backend) ? inARow[0] + 1 : 0;
      return inARow[0] >= 50;
    }, () -> "50 calls in a row answered by " + backend);
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--server", mesh.apiUrl(), "--token", Mesh.ADMIN}, 0, all, args.length, 4);
    int exit = new CommandLine(new EndpointCommands()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(all);
    assertThat(exit).as("exit of ep %s: %s", List.of(args), err).isZero();
    return out.toString();
  }
}
