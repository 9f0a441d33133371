package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tether.agent.Cli;
import io.tether.registry.testing.TestChildren;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a task learns from its host agent's {@code GET /tether/host}, and the start-ups that stop at once (exit 2). */
class EcsHostAgentTest {
  private final AtomicReference<String> answer = new AtomicReference<>();
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private HttpServer hostAgent;
  private MetadataStandIn metadata;
  private EcsAgentProcess agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.kill();
    }
    if (metadata != null) {
      metadata.close();
    }
    if (hostAgent != null) {
      hostAgent.stop(0);
    }
  }

  private HostPort startHostAgent() throws IOException {
    hostAgent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hostAgent.createContext("/tether/host", exchange -> {
      byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    hostAgent.start();
    return new HostPort("127.0.0.1", hostAgent.getAddress().getPort());
  }

  @Test
  void theHostAgentGivesNamespaceAddressZoneAndItsAdsRelaysPort() throws Exception {
    HostAgent client = new HostAgent(startHostAgent());

    answer.set("{\"namespace\":\"prod\",\"address\":\"10.0.1.17\",\"zone\":\"rack-1\",\"xdsPort\":15102}");
    assertThat(client.host()).isEqualTo(new HostAgent.HostInfo("prod", "10.0.1.17", "rack-1", 15102));
    answer.set("{\"namespace\":\"prod\",\"address\":\"10.0.1.17\",\"zone\":null,\"xdsPort\":15102,\"extra\":1}");
    assertThat(client.host().zone()).isNull();

    answer.set("{\"namespace\":\"prod\",\"address\":\"10.0.1.17\"}");
    assertThatThrownBy(client::host).isInstanceOf(IOException.class).hasMessageContaining("without a namespace, an "
        + "address and an xdsPort");
    status.set(403);
    answer.set("{\"code\":\"PERMISSION_DENIED\",\"message\":\"source 10.9.0.1 not allowed\"}");
    assertThatThrownBy(client::host).isInstanceOf(IOException.class).hasMessageContaining("answered 403")
        .hasMessageContaining("not allowed");
  }

  @Test
  void aTaskOnAHostAgentOfAnotherNamespaceRefusesToStart() throws Exception {
    HostPort address = startHostAgent();
    answer.set("{\"namespace\":\"staging\",\"address\":\"10.0.1.17\",\"xdsPort\":15102}");
    metadata = new MetadataStandIn("bridge-task.json", "tether-sidecar");
    Path dir = TestChildren.tempDir("ecs-host");
    agent = new EcsAgentProcess(dir)
        .env("ECS_CONTAINER_METADATA_URI_V4", metadata.uri())
        .env("TETHER_NAMESPACE", "prod")
        .env("TETHER_SERVICES", "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,"
            + "\"ingressPort\":15000}]")
        .env("TETHER_HOST_AGENT", address.toString());
    agent.start();

    assertThat(agent.awaitExit(Duration.ofSeconds(60))).as(agent.log()).isEqualTo(2);
    assertThat(agent.log()).contains("the host agent at " + address + " serves namespace 'staging', not "
        + "TETHER_NAMESPACE 'prod'").doesNotContain("envoy started");
  }

  @Test
  void withoutTheMetadataEndpointsVariableTheCommandStopsAtOnceSayingSo() {
    Cli cli = Cli.run("ecs-task"); // the test JVM runs in no ECS task
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("tether agent ecs-task: ECS_CONTAINER_METADATA_URI_V4 is not set");
  }
}
