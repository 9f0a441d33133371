package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.AgentMain;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tether agent host --config FILE} as a real process: how it starts, what SIGTERM does, how a bad config ends. */
class HostAgentProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static HostControlPlane cp;
  private final Path dir = TestEtcd.tempDir("host-agent-process");
  private final Path hosts = dir.resolve("hosts");
  private final int apiPort = Ports.free();
  private final EcsAgentStandIn ecs = new EcsAgentStandIn();
  private Process agent;

  @BeforeAll
  static void startControlPlane() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stopControlPlane() {
    cp.close();
  }

  @AfterEach
  void kill() throws InterruptedException {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    ecs.close();
  }

  private Path config(String extra) throws IOException {
    Path token = Files.writeString(dir.resolve("agent.token"), HostControlPlane.TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    return Files.writeString(dir.resolve("host.yaml"), "server: " + cp.restUrl() + "\ntokenFile: " + token
        + "\nnamespace: a\naddress: 127.0.0.1\nlisten: [127.0.0.1]\n"
        + "allowedSources: [127.0.0.0/8]\napiPort: " + apiPort + "\nxdsPort: " + Ports.free() + "\ndns: none\n"
        + "vipRange: 127.255.0.0/16\nhostsFile: " + hosts + "\necsAgent: " + ecs.url() + "\nenvoyBin: "
        + Prerequisites.envoy() + "\nadminPort: " + Ports.free() + "\nworkDir: " + dir.resolve("work") + "\n" + extra);
  }

  private Process start(Path config) throws IOException {
    Files.writeString(hosts, "127.0.0.1\tlocalhost\n");
    List<String> command = ChildJvm.main(AgentMain.class);
    command.addAll(List.of("host", "--config", config.toString()));
    agent = TestChildren.start(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile()));
    return agent;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Test
  void sigtermStopsItCleanlyWithExitZero() throws Exception {
    Process p = start(config(""));
    Poll.until(WAIT, () -> log().contains("host agent of namespace a at 127.0.0.1: REST relay on 127.0.0.1:" + apiPort),
        () -> "the start-up line; log:\n" + log());
    assertThat(log()).as("no xds in the file: the control plane's advertised one")
        .contains("xDS at 127.0.0.1:" + cp.xdsPort() + ", as " + cp.restUrl() + "/v1/xds advertises")
        .contains(" and 127.0.0.1:" + cp.xdsPort() + "; egress envoy");
    new ApiClient("http://127.0.0.1:" + apiPort, null).get("/tether/host").expect(200);
    assertThat(Files.readString(hosts)).contains("# BEGIN tether");
    List<ProcessHandle> children = p.descendants().toList();
    assertThat(children).as("the egress envoy").isNotEmpty();

    p.destroy(); // SIGTERM

    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited; log:\n" + log()).isTrue();
    assertThat(p.exitValue()).as(log()).isZero();
    assertThat(Files.readString(hosts)).isEqualTo("127.0.0.1\tlocalhost\n");
    Poll.until(Duration.ofSeconds(5), () -> children.stream().noneMatch(ProcessHandle::isAlive), "no child left");
  }

  @Test
  void aBadConfigIsAUsageErrorNamingTheField() throws Exception {
    Process p = start(config("apiPort: 0\n"));

    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log()).isEqualTo(2);
    assertThat(log()).containsIgnoringCase("duplicate field 'apiPort'");
  }

  @Test
  void aBadValueIsAUsageErrorNamingTheFieldAndWhatToWrite() throws Exception {
    Process p = start(config("ecsPollMs: 5\n"));

    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log()).isEqualTo(2);
    assertThat(log()).contains("ecsPollMs 5 must be between 100 and 60000 (milliseconds)");
  }
}
