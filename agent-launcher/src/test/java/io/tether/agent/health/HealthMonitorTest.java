package io.tether.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.tether.agent.health.HealthMonitor.Status;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The monitor against real HTTP, TCP and gRPC servers: thresholds, transitions, and what passes. */
class HealthMonitorTest {
  private static final Duration FAST = Duration.ofMillis(20);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  /** Transitions as "FROM->TO@n", n being the HTTP app's request count when the listener heard it. */
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  /** An HTTP app whose answer to its n-th request (from 1) on /healthz is script(n); other paths are 404. */
  private int httpApp(IntUnaryOperator script) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/healthz", exchange -> {
      int status = script.applyAsInt(requests.incrementAndGet());
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    closeAfter.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  private HealthMonitor monitor(AppHealthCheck check) {
    HealthMonitor monitor = new HealthMonitor(check,
        (from, to, reason) -> transitions.add(from + "->" + to + "@" + requests.get()));
    closeAfter.add(0, monitor); // closed before the servers it checks
    return monitor.start();
  }

  private static AppHealthCheck fast(String spec, int port, int healthy, int unhealthy) {
    return AppHealthCheck.parse(spec, port).withTiming(FAST, Duration.ofSeconds(1)).withThresholds(healthy, unhealthy);
  }

  @Test
  void httpTurnsHealthyAfterTheHealthyThresholdAndUnhealthyAfterTheUnhealthyThreshold() throws Exception {
    int port = httpApp(n -> n <= 2 ? 200 : n <= 5 ? 500 : 204);

    HealthMonitor monitor = monitor(fast("http:/healthz", port, 2, 3));

    assertThat(monitor.awaitHealthy(WAIT)).isTrue();
    awaitTransitions("UNKNOWN->HEALTHY@2", "HEALTHY->UNHEALTHY@5", "UNHEALTHY->HEALTHY@7");
    assertThat(monitor.status()).isEqualTo(Status.HEALTHY);
    assertThat(monitor.lastFailure()).contains("500");
  }

  @Test
  void failuresShorterThanTheUnhealthyThresholdChangeNothing() throws Exception {
    int port = httpApp(n -> n == 3 || n == 5 || n == 6 || n == 9 || n == 10 ? 503 : 200);

    HealthMonitor monitor = monitor(fast("http:/healthz", port, 2, 3));

    Poll.until(WAIT, () -> requests.get() >= 15, "fifteen checks");
    awaitTransitions("UNKNOWN->HEALTHY@2");
    assertThat(monitor.status()).isEqualTo(Status.HEALTHY);
  }

  @Test
  void anAppThatNeverPassesGoesFromUnknownToUnhealthyAndIsNeverAwaitedHealthy() throws Exception {
    int port = httpApp(n -> 200);

    HealthMonitor monitor = monitor(fast("http:/not-the-health-path", port, 1, 3));

    assertThat(monitor.awaitHealthy(Duration.ofMillis(300))).isFalse();
    Poll.until(WAIT, () -> monitor.status() == Status.UNHEALTHY, "unhealthy");
    awaitTransitions("UNKNOWN->UNHEALTHY@0");
    assertThat(monitor.lastFailure()).contains("404");
  }

  @Test
  void anAppThatAcceptsButNeverAnswersFailsHttpOnTimeoutYetPassesTcp() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AppHealthCheck http = AppHealthCheck.parse("http:/healthz", silent.getLocalPort())
          .withTiming(FAST, Duration.ofMillis(200)).withThresholds(1, 1);
      HealthMonitor httpMonitor = monitor(http);
      HealthMonitor tcpMonitor = monitor(fast("tcp", silent.getLocalPort(), 1, 1));

      Poll.until(WAIT, () -> httpMonitor.status() == Status.UNHEALTHY, "http unhealthy");
      assertThat(httpMonitor.lastFailure()).contains("timed out");
      assertThat(tcpMonitor.awaitHealthy(WAIT)).isTrue();
    }
  }

  @Test
  void tcpFollowsWhetherThePortIsListening() throws Exception {
    ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    HealthMonitor monitor = monitor(fast("tcp", listening.getLocalPort(), 2, 2));
    assertThat(monitor.awaitHealthy(WAIT)).isTrue();

    listening.close();

    Poll.until(WAIT, () -> monitor.status() == Status.UNHEALTHY, "unhealthy once the port closed");
    awaitTransitions("UNKNOWN->HEALTHY@0", "HEALTHY->UNHEALTHY@0");
    assertThat(monitor.lastFailure()).containsIgnoringCase("refused");
  }

  @Test
  void grpcFollowsTheServingStatusOfTheHealthService() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    int port = grpcApp(health);
    HealthMonitor monitor = monitor(fast("grpc", port, 2, 2));
    assertThat(monitor.awaitHealthy(WAIT)).isTrue();

    health.setStatus("", ServingStatus.NOT_SERVING);
    Poll.until(WAIT, () -> monitor.status() == Status.UNHEALTHY, "unhealthy when NOT_SERVING");
    assertThat(monitor.lastFailure()).contains("NOT_SERVING");
    health.setStatus("", ServingStatus.SERVING);
    Poll.until(WAIT, () -> monitor.status() == Status.HEALTHY, "healthy again when SERVING");

    awaitTransitions("UNKNOWN->HEALTHY@0", "HEALTHY->UNHEALTHY@0", "UNHEALTHY->HEALTHY@0");
  }

  @Test
  void grpcAsksAboutTheNamedServiceAndAnUnknownOneFails() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus("shop.Payments", ServingStatus.SERVING);
    int port = grpcApp(health);

    HealthMonitor payments = monitor(fast("grpc:shop.Payments", port, 1, 1));
    HealthMonitor unknown = monitor(fast("grpc:shop.Nothing", port, 1, 1));

    assertThat(payments.awaitHealthy(WAIT)).isTrue();
    Poll.until(WAIT, () -> unknown.status() == Status.UNHEALTHY, "unknown service unhealthy");
    assertThat(unknown.lastFailure()).contains("NOT_FOUND");
  }

  @Test
  void grpcNoticesAnAppThatComesUpAfterFailedChecks() throws Exception {
    int port = Ports.free();
    HealthMonitor monitor = monitor(fast("grpc", port, 1, 2));
    Poll.until(WAIT, () -> monitor.status() == Status.UNHEALTHY, "unhealthy while nothing listens");
    // Long enough for gRPC's reconnect back-off (1 s, 1.6 s, 2.56 s, ±20%) to put its next attempt
    // at least 0.6 s away: a probe that waited for it would miss the deadline below.
    long down = System.nanoTime();
    Poll.until(WAIT, () -> System.nanoTime() - down > 3_600_000_000L && monitor.status() == Status.UNHEALTHY,
        "still unhealthy 3.6 s on");

    HealthStatusManager health = new HealthStatusManager();
    grpcApp(health, port);

    assertThat(monitor.awaitHealthy(Duration.ofMillis(500))).isTrue();
  }

  @Test
  void aMonitorGivenAHostChecksTheAppThereAndNotOnTheLoopback() throws Exception {
    // 127.0.0.2 stands for another container's address: Linux answers all of 127/8 on lo.
    InetAddress elsewhere = InetAddress.getByName("127.0.0.2");
    HttpServer http = HttpServer.create(new InetSocketAddress(elsewhere, 0), 0);
    http.createContext("/healthz", exchange -> respond(exchange, 200, requests));
    http.start();
    closeAfter.add(() -> http.stop(0));
    ServerSocket tcp = new ServerSocket(0, 50, elsewhere);
    closeAfter.add(tcp);
    int httpPort = http.getAddress().getPort();

    HealthMonitor atHost = new HealthMonitor(fast("http:/healthz", httpPort, 1, 1), "127.0.0.2", (f, t, r) -> { });
    closeAfter.add(0, atHost.start());
    HealthMonitor tcpAtHost = new HealthMonitor(fast("tcp", tcp.getLocalPort(), 1, 1), "127.0.0.2", (f, t, r) -> { });
    closeAfter.add(0, tcpAtHost.start());
    HealthMonitor onLoopback = monitor(fast("http:/healthz", httpPort, 1, 1));

    assertThat(atHost.awaitHealthy(WAIT)).isTrue();
    assertThat(tcpAtHost.awaitHealthy(WAIT)).isTrue();
    Poll.until(WAIT, () -> onLoopback.status() == Status.UNHEALTHY, "nothing answers on 127.0.0.1");
  }

  @Test
  void withoutACheckTheAppIsHealthyAtOnce() throws Exception {
    HealthMonitor monitor = monitor(AppHealthCheck.parse("none", 0));

    assertThat(monitor.awaitHealthy(WAIT)).isTrue();
    awaitTransitions("UNKNOWN->HEALTHY@0");
  }

  @Test
  void closingReleasesAWaiterAndStopsTheChecks() throws Exception {
    AtomicInteger closedChecks = new AtomicInteger();
    AtomicInteger otherChecks = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/closed", e -> respond(e, 500, closedChecks));
    server.createContext("/other", e -> respond(e, 500, otherChecks));
    server.start();
    closeAfter.add(() -> server.stop(0));
    int port = server.getAddress().getPort();
    HealthMonitor monitor = monitor(fast("http:/closed", port, 1, 100));
    Poll.until(WAIT, () -> closedChecks.get() >= 1, "a first check");
    AtomicInteger awaited = new AtomicInteger(-1);
    Thread waiter = new Thread(() -> {
      try {
        awaited.set(monitor.awaitHealthy(Duration.ofMinutes(1)) ? 1 : 0);
      } catch (InterruptedException e) {
        awaited.set(2);
      }
    });
    waiter.start();

    monitor.close();

    Poll.until(WAIT, () -> !waiter.isAlive(), "the waiter returns");
    assertThat(awaited.get()).isZero();
    int checksWhenClosed = closedChecks.get();
    // Another monitor of the same interval: its checks show that several intervals have passed.
    monitor(fast("http:/other", port, 1, 100));
    Poll.until(WAIT, () -> otherChecks.get() >= 5, "five checks by the other monitor");
    assertThat(closedChecks.get()).isEqualTo(checksWhenClosed);
    assertThat(transitions).isEmpty();
  }

  /** The listener runs just after the status changes: wait for it to have heard as many, then compare. */
  private void awaitTransitions(String... expected) {
    Poll.until(WAIT, () -> transitions.size() >= expected.length,
        () -> expected.length + " transitions, heard " + transitions);
    assertThat(transitions).containsExactly(expected);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, AtomicInteger counter)
      throws IOException {
    counter.incrementAndGet();
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private int grpcApp(HealthStatusManager health) throws IOException {
    return grpcApp(health, 0);
  }

  private int grpcApp(HealthStatusManager health, int port) throws IOException {
    Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
        .addService(health.getHealthService()).build().start();
    closeAfter.add(() -> server.shutdownNow().awaitTermination());
    return server.getPort();
  }
}
