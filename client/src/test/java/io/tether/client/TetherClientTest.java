package io.tether.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.tether.model.Health;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted server: what goes out, and how every kind of answer comes back. */
class TetherClientTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A server that answers every request with this status, body and ETag, and records what it was sent. */
  private TetherClient answering(int status, String body, String etag) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
          + " " + exchange.getRequestHeaders().getFirst("Authorization")
          + " " + exchange.getRequestHeaders().getFirst("Content-Type")
          + " " + exchange.getRequestHeaders().getFirst("If-Match")
          + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (etag != null) {
        exchange.getResponseHeaders().add("ETag", etag);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return TetherClient.builder("http://127.0.0.1:" + server.getAddress().getPort() + "/").token("t0k3n").build();
  }

  @Test
  void typedCallsSendJsonAsTheTokenWithNamesEncoded() throws IOException {
    TetherClient client = answering(200, "{\"ok\":true}", "\"7\"");

    assertThat(client.service("a b", "web", true).path("ok").asBoolean()).isTrue();
    client.replaceNamespace("a", "{}".getBytes(StandardCharsets.UTF_8), "\"7\"");
    client.setHealth("a", "web", "t-1", Health.DRAINING);

    assertThat(seen).containsExactly(
        "GET /v1/namespaces/a+b/services/web?effective=true Bearer t0k3n application/json null ",
        "PUT /v1/namespaces/a Bearer t0k3n application/json \"7\" {}",
        "PUT /v1/namespaces/a/services/web/endpoints/t-1/health Bearer t0k3n application/json null {\"health\":\"DRAINING\"}");
    assertThat(client.namespace("a").etag()).isEqualTo("\"7\"");
  }

  @Test
  void theErrorFormatIsDecodedIntoStatusCodeMessageAndField() throws IOException {
    TetherClient client = answering(400,
        "{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"port is wrong\",\"field\":\"port\"}}", null);

    ApiException e = catchThrowableOfType(() -> client.keepAlive(5), ApiException.class);

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(e.apiMessage()).isEqualTo("port is wrong");
    assertThat(e.field()).isEqualTo("port");
    assertThat(e.hasError()).isTrue();
    assertThat(e.path()).isEqualTo("/v1/leases/5/keepalive");
    assertThat(e.getMessage()).contains("POST http://127.0.0.1:").contains("400 INVALID_ARGUMENT: port is wrong");
  }

  @Test
  void anAnswerThatIsNotTheApisKeepsItsText() throws IOException {
    TetherClient client = answering(502, "<html>bad gateway</html>", null);

    ApiException e = catchThrowableOfType(client::namespaces, ApiException.class);

    assertThat(e.status()).isEqualTo(502);
    assertThat(e.hasError()).isFalse();
    assertThat(e.code()).isNull();
    assertThat(e.apiMessage()).isNull();
    assertThat(e.response().text()).isEqualTo("<html>bad gateway</html>");
    assertThat(e.response().notJson()).isNotNull();
  }

  @Test
  void exchangeSendsExactlyWhatItIsGivenAndReturnsEveryStatus() throws IOException {
    TetherClient client = answering(404, "", null);

    ApiResponse r = client.exchange("PUT", "/v1/namespaces/%2e%2e", "x".getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().isMissingNode()).isTrue();
    assertThat(seen).containsExactly("PUT /v1/namespaces/%2e%2e Bearer t0k3n null null x");
    assertThat(client.withToken(null).exchange("GET", "/healthz", null).status()).isEqualTo(404);
    assertThat(seen.get(1)).startsWith("GET /healthz null ");
  }

  @Test
  void noAnswerIsStatusZeroWithTheFailureAsCause() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TetherClient client = TetherClient.builder("http://127.0.0.1:" + port).build();

    ApiException e = catchThrowableOfType(() -> client.grantLease("a", 10), ApiException.class);

    assertThat(e.status()).isZero();
    assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
    assertThat(e.interrupted()).isFalse();
    assertThat(e.response()).isNull();
  }

  @Test
  void nodeIdsThatWouldChangeThePathAreRefused() {
    TetherClient client = TetherClient.builder("http://127.0.0.1:1").build();
    assertThatThrownBy(() -> client.proxyConfig("a", "..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.proxyConfig("a", "x/y")).isInstanceOf(IllegalArgumentException.class);
  }
}
