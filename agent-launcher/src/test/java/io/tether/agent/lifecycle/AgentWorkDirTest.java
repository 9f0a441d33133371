package io.tether.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.testing.AgentRegistry;
import io.tether.agent.testing.AgentUnderTest;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's work dir holds bootstraps with the agent token: private while the task runs, and
 * removed however the task ends. The agent runs with its system temp directory in the test's own.
 */
class AgentWorkDirTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @RegisterExtension
  static final AgentRegistry registry = new AgentRegistry();
  private final Path dir = TestEtcd.tempDir("agent-workdir");
  private final Path tmp = dir.resolve("tmp");
  private AgentUnderTest agent;

  private AgentUnderTest agent(String taskId) throws Exception {
    Files.createDirectories(tmp);
    agent = registry.agent(dir, taskId).without("--work-dir")
        .jvmOption("-Djava.io.tmpdir=" + tmp);
    return agent;
  }

  @Test
  void aWorkDirItMakesIsPrivateWhileTheTaskRunsAndGoneOnceTheTaskHasDrained() throws Exception {
    agent("w1").start();
    Poll.until(WAIT, () -> registry.admin().get("/v1/namespaces/a/services/web/endpoints/w1").status() == 200,
        () -> "registered; log:\n" + agent.log());
    Path bootstrap = envoyBootstrap();
    assertThat(bootstrap.getParent().getParent()).as("in the system temp directory").isEqualTo(tmp);
    assertThat(bootstrap.getParent().getFileName().toString()).startsWith("tether-agent-w1-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bootstrap.getParent()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bootstrap))).isEqualTo("rw-------");

    agent.process().destroy(); // SIGTERM
    assertThat(agent.awaitExit(WAIT)).isZero();
    assertThat(bootstrap.getParent()).doesNotExist();
    assertThat(workDirsLeft()).isEmpty();
  }

  @Test
  void aWorkDirItMakesIsRemovedWhenTheStartFails() throws Exception {
    Path seen = dir.resolve("seen");
    agent("w2").flag("--proxyless", null)
        .app("sh", "-c", "echo \"$GRPC_XDS_BOOTSTRAP\" > '" + seen + "'; exit 3").start();

    assertThat(agent.awaitExit(WAIT)).isEqualTo(1);
    Path bootstrap = Path.of(Files.readString(seen).trim());
    assertThat(bootstrap.getParent().getParent()).as("in the system temp directory").isEqualTo(tmp);
    assertThat(bootstrap.getParent()).doesNotExist();
    assertThat(workDirsLeft()).isEmpty();
  }

  @Test
  void aWorkDirItMakesIsRemovedWhenASignalStopsTheStart() throws Exception {
    agent("w3");
    Files.writeString(agent.sickFile(), ""); // never healthy
    agent.start();
    Poll.until(WAIT, () -> agent.journal().lines().stream().anyMatch(l -> l.startsWith("app start")),
        () -> "app started; log:\n" + agent.log());
    Path bootstrap = envoyBootstrap();
    assertThat(bootstrap.getParent().getParent()).as("in the system temp directory").isEqualTo(tmp);
    assertThat(bootstrap).exists();

    agent.process().destroy(); // SIGTERM
    assertThat(agent.awaitExit(WAIT)).isEqualTo(143);
    assertThat(bootstrap.getParent()).doesNotExist();
    assertThat(workDirsLeft()).isEmpty();
  }

  @Test
  void ofAGivenWorkDirOnlyTheFilesTheAgentWroteAreRemoved() throws Exception {
    Path given = Files.createDirectories(dir.resolve("given"));
    Files.writeString(given.resolve("keep.txt"), "the operator's");
    agent("w4").flag("--work-dir", given.toString()).start();
    Poll.until(WAIT, () -> registry.admin().get("/v1/namespaces/a/services/web/endpoints/w4").status() == 200,
        () -> "registered; log:\n" + agent.log());
    assertThat(envoyBootstrap()).isEqualTo(given.resolve("envoy-bootstrap.json"));

    agent.process().destroy(); // SIGTERM
    assertThat(agent.awaitExit(WAIT)).isZero();
    assertThat(given.resolve("envoy-bootstrap.json")).as("it holds the token").doesNotExist();
    assertThat(given.resolve("keep.txt")).hasContent("the operator's");
    assertThat(given.resolve("envoy.log")).as("Envoy's log stays for reading").exists();
  }

  private List<Path> workDirsLeft() throws Exception {
    try (Stream<Path> left = Files.list(tmp)) {
      return left.filter(p -> p.getFileName().toString().startsWith("tether-agent-")).toList();
    }
  }

  /** The bootstrap the stand-in Envoy was started with ({@code -c PATH}), from its journal. */
  private Path envoyBootstrap() {
    String start = agent.journal().lines().stream().filter(l -> l.startsWith("envoy start")).findFirst().orElseThrow();
    String rest = start.substring(start.indexOf(" -c ") + 4);
    return Path.of(rest.substring(0, rest.indexOf(' ')));
  }
}
