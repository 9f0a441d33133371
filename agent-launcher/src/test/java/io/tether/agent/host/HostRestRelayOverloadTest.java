package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RestRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against a control plane that accepts and never answers: 504 in time, 503 when the queue is full. */
class HostRestRelayOverloadTest {
  /** Accepts connections and says nothing; each accept releases a permit. */
  private static final class SilentControlPlane implements AutoCloseable {
    final ServerSocket socket;
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final Semaphore accepted = new Semaphore(0);

    SilentControlPlane() throws IOException {
      socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        try {
          while (true) {
            held.add(socket.accept());
            accepted.release();
          }
        } catch (IOException e) {
          // closed
        }
      }, "silent-control-plane");
      t.setDaemon(true);
      t.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private SilentControlPlane cp;
  private RestRelay relay;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws IOException {
    cp = new SilentControlPlane();
    relay = Relays.rest(cp.url(), Relays.LOOPBACK, RelayHook.NONE);
  }

  @AfterEach
  void stop() throws IOException {
    relay.close();
    cp.close();
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(Relays.url(relay) + path)).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aControlPlaneThatDoesNotAnswerIs504BeforeTheAgentsOwnTimeout() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = get("/v1/namespaces/a").get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).contains("\"UNAVAILABLE\"", "did not answer in time");
    assertThat(took).isGreaterThanOrEqualTo(RestRelay.UPSTREAM_TIMEOUT.minusMillis(100))
        .isLessThan(Duration.ofSeconds(5)); // RegistryClient's timeout
  }

  @Test
  void aFullQueueIsAnswered503AtOnce() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> blocking = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      blocking.add(get("/v1/namespaces/a/services/s" + i));
    }
    // all 8 request threads are now waiting on the control plane
    assertThat(cp.accepted.tryAcquire(8, 10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
    for (int i = 0; i < RestRelay.QUEUE + 8; i++) {
      more.add(get("/v1/namespaces/a/services/q" + i));
    }

    // the first 503 comes long before any thread is free again (the 504s of the first 8)
    HttpResponse<String> first = (HttpResponse<String>) CompletableFuture.anyOf(more.toArray(CompletableFuture[]::new))
        .get(30, TimeUnit.SECONDS);
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.body()).contains("\"UNAVAILABLE\"", "busy");
    assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RestRelay.UPSTREAM_TIMEOUT);
    long busy = 0;
    for (CompletableFuture<HttpResponse<String>> f : more) {
      int status = f.get(60, TimeUnit.SECONDS).statusCode();
      assertThat(status).isIn(503, 504);
      busy += status == 503 ? 1 : 0;
    }
    assertThat(busy).isGreaterThanOrEqualTo(8);
    for (CompletableFuture<HttpResponse<String>> f : blocking) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    }
  }
}
