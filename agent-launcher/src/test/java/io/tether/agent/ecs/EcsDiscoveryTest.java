package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.registry.testing.Poll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up against a metadata endpoint that answers before ECS has filled in the sidecar's port
 * mappings (bridge mode): "not yet" until the deadline, never a misconfiguration while it may still come.
 */
class EcsDiscoveryTest {
  private static final EcsService PAYMENTS = new EcsService("payments", "app", 8080, 15000);
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  private MetadataStandIn metadata;
  private HttpServer hostAgent;

  @BeforeEach
  void start() throws IOException {
    metadata = new MetadataStandIn("bridge-task.json", "tether-sidecar");
    hostAgent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hostAgent.createContext("/tether/host", exchange -> {
      byte[] body = "{\"namespace\":\"prod\",\"address\":\"10.0.1.17\",\"zone\":\"rack-1\",\"xdsPort\":15102}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    hostAgent.start();
  }

  @AfterEach
  void stop() {
    metadata.close();
    hostAgent.stop(0);
  }

  private CompletableFuture<Optional<TaskDiscovery.Found>> discover() {
    EcsSettings settings = new EcsSettings(URI.create(metadata.uri()), "prod", List.of(PAYMENTS),
        new HostPort("127.0.0.1", hostAgent.getAddress().getPort()), null, 9901, Duration.ofSeconds(5), 10,
        Duration.ofMillis(100), new MetricsEndpoint.Settings("127.0.0.1", 0, false));
    TaskDiscovery discovery = new TaskDiscovery(settings, new TaskMetadata(settings.metadataUri()), DEADLINE);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return discovery.discover();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private void awaitPolls(int n) {
    int seen = metadata.requests();
    Poll.until(Duration.ofSeconds(10), () -> metadata.requests() >= seen + n, n + " more metadata reads");
  }

  @Test
  void aHostPortThatComesAfterTheFirstAnswersIsWaitedFor() throws Exception {
    metadata.noPorts("tether-sidecar");
    CompletableFuture<Optional<TaskDiscovery.Found>> found = discover();
    awaitPolls(4);
    assertThat(found).as("still waiting for the HostPort, not failed").isNotDone();

    metadata.mappedPort("tether-sidecar", 15000, null); // the mapping, Docker's port not yet
    awaitPolls(3);
    assertThat(found).isNotDone();

    metadata.mappedPort("tether-sidecar", 15000, 32771);
    List<ServicePlan> plans = found.get(10, TimeUnit.SECONDS).orElseThrow().plans();
    assertThat(plans).extracting(ServicePlan::registeredPort).containsExactly(32771);
    assertThat(plans.get(0).appHost()).isEqualTo("172.17.0.3");
  }

  @Test
  void noPortMappingByTheDeadlineIsAMisconfigurationSaidClearly() {
    metadata.noPorts("tether-sidecar");
    long started = System.nanoTime();
    Throwable failure = catchThrowable(() -> discover().get(20, TimeUnit.SECONDS));
    assertThat((System.nanoTime() - started) / 1_000_000).as("ms: not before the deadline")
        .isGreaterThanOrEqualTo(DEADLINE.toMillis());
    assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TaskConfigException.class)
        .hasMessageContaining("container tether-sidecar has no port mapping of containerPort 15000 (the ingressPort of "
            + "payments) in the task metadata after 2 s");
  }

  @Test
  void aMappingWhoseHostPortNeverComesFailsTheTaskAtTheDeadline() {
    metadata.mappedPort("tether-sidecar", 15000, null);
    Throwable failure = catchThrowable(() -> discover().get(20, TimeUnit.SECONDS));
    assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
        .cause().isInstanceOf(IOException.class).hasMessageContaining("the task metadata gave container tether-sidecar "
            + "no HostPort for containerPort 15000 (the ingressPort of payments) within 2 s");
  }
}
