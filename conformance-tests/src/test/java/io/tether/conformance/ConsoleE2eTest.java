package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web console end to end (docs/console.md): a real server on a real etcd, a seeded namespace and a
 * real grpc-java xDS client, and the page in Debian's headless Chromium, driven by playwright-core
 * ({@code console/e2e/console.mjs}). The script checks the views; where it prints {@code await: …}
 * this test acts through the REST API: it writes a namespace and an endpoint that the open page must
 * show without a reload, and it checks that the page's drain and spec edit reached the registry. Screenshots are the report,
 * in {@code conformance-tests/target/console/}.
 */
class ConsoleE2eTest {
  private static final Path CONSOLE = Path.of("").toAbsolutePath().getParent().resolve("console");
  private static final Path REPORT = Path.of("target", "console").toAbsolutePath();
  private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(3);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String NS = "prod";
  private static final String SVC = "payments";
  private static final String BASE = "/v1/namespaces/" + NS + "/services/" + SVC;

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static XdsClient proxyless;
  private static Path chromium;
  private static Path node;

  @BeforeAll
  static void seed() {
    chromium = Prerequisites.chromium();
    node = Prerequisites.onPath("node", Prerequisites.WITHOUT_BROWSER, "install Node.js (./tether test does)");
    mesh.service(NS, SVC, 8080, "\"timeout\":{\"perRequestTimeoutSeconds\":5}");
    mesh.register(NS, SVC, mesh.backend("task-1"), "HEALTHY");
    endpoint("task-2", 15002, "zone-b");
    mesh.awaitView();
    // A connected proxyless client, so that the proxies view has a row with every type ACKed.
    proxyless = mesh.client(NS, Mesh.ADMIN);
    assertThat(XdsClient.call(proxyless.channel(SVC + ":8080"), 10_000)).isEqualTo("task-1");
  }

  @Test
  void theConsoleShowsTheMeshFollowsItLiveAndWritesThroughTheApi() throws Exception {
    assertThat(CONSOLE.resolve("node_modules/playwright-core")).as("built by the console module's npm ci").isDirectory();
    Path profile = TestChildren.tempDir("console-chromium");
    Files.createDirectories(REPORT);
    try (var old = Files.list(REPORT)) { // this run's report only
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(node.toString(), "e2e/console.mjs", "--url", mesh.apiUrl(),
        "--token", Mesh.ADMIN, "--out", REPORT.toString(), "--user-data-dir", profile.toString(),
        "--namespace", NS, "--service", SVC, "--new-endpoint", "task-new", "--drain", "task-1")
        .directory(CONSOLE.toFile())
        .redirectError(REPORT.resolve("console-e2e.stderr.txt").toFile());
    pb.environment().put("CHROMIUM_BIN", chromium.toString());
    Process script = TestChildren.start(pb);
    CompletableFuture.delayedExecutor(SCRIPT_LIMIT.toSeconds(), TimeUnit.SECONDS).execute(script::destroyForcibly);
    List<String> steps = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8));
        Writer answers = new OutputStreamWriter(script.getOutputStream(), StandardCharsets.UTF_8)) {
      for (String line; (line = out.readLine()) != null; ) {
        steps.add(line);
        if (line.startsWith("await: ")) {
          act(line.substring("await: ".length()));
          answers.write("done\n");
          answers.flush();
        }
      }
    } finally {
      script.destroy(); // a no-op once it ended; else SIGTERM, on which the script closes its browser
    }
    assertThat(script.waitFor(30, TimeUnit.SECONDS)).as("the script ends").isTrue();
    String stderr = Files.readString(REPORT.resolve("console-e2e.stderr.txt"));
    assertThat(script.exitValue()).as("console.mjs exit status; steps %s; stderr:%n%s", steps, stderr).isZero();
    assertThat(steps).contains("await: namespace staging", "await: endpoint task-new", "await: drained task-1",
        "await: undrained task-1", "await: applied " + SVC, "step: done");
    assertThat(REPORT.resolve("live-update.png")).isNotEmptyFile();
    Poll.until(WAIT, () -> chromiumProcessesOf(profile).isEmpty(),
        () -> "every Chromium of the test is gone: " + chromiumProcessesOf(profile));
  }

  /** What the script waits for: the test writes through the API, or checks that the page's write landed. */
  private static void act(String what) {
    switch (what) {
      case "namespace staging" ->
          mesh.api.put("/v1/namespaces/staging", "{\"description\":\"made while the page is open\"}").expect(201);
      case "endpoint task-new" -> endpoint("task-new", 15003, "zone-c");
      case "drained task-1", "undrained task-1" -> {
        JsonNode task = mesh.api.get(BASE + "/endpoints/task-1").expect(200).body();
        assertThat(task.path("drained").asBoolean()).as("the REST API shows %s: %s", what, task)
            .isEqualTo(what.startsWith("drained"));
      }
      case "applied " + SVC -> {
        JsonNode spec = mesh.api.get(BASE).expect(200).body();
        assertThat(spec.path("timeout").path("perRequestTimeoutSeconds").asInt()).as("applied: %s", spec).isEqualTo(7);
      }
      default -> throw new AssertionError("the script awaits what the test does not know: " + what);
    }
  }

  private static void endpoint(String id, int port, String zone) {
    mesh.api.put(BASE + "/endpoints/" + id, "{\"address\":\"127.0.0.1\",\"port\":" + port + ",\"zone\":\"" + zone
        + "\",\"health\":\"HEALTHY\"}").expect(201);
  }

  /** Processes whose command line names the test's Chromium profile (Chromium and its helpers). */
  private static List<Long> chromiumProcessesOf(Path profile) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(profile.toString())).orElse(false))
        .map(ProcessHandle::pid).toList();
  }
}
