package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RelayedRequest;
import io.tether.agent.relay.RestRelay;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths that could name another route than their face are refused with 400; the hook sees what is forwarded. */
class HostRestRelayPathTest {
  private static HostControlPlane cp;
  private static RestRelay relay;
  private static final List<String> hooked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    cp = new HostControlPlane();
    relay = Relays.rest(cp.restUrl(), Relays.LOOPBACK, new RelayHook() {
      @Override
      public void beforeForward(RelayedRequest request) {
        hooked.add(request.path() + " " + request.target());
      }

      @Override
      public void afterForward(RelayedRequest request, int status) {}
    });
  }

  @AfterAll
  static void stop() {
    relay.close();
    cp.close();
  }

  /** The request as written, not as an HTTP client might normalise it; the status line and body. */
  private static String[] raw(String target) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.addresses().get(0).getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      return new String[] {all.substring(0, all.indexOf("\r\n")), all.substring(split + 4)};
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/v1/namespaces/a/services/../services/web",
      "/v1/namespaces/a/./services",
      "/v1/namespaces/a/services/web/endpoints/..",
      "/v1//namespaces/a/services",
      "/v1/namespaces/a/services/%2e%2e/x",
      "/v1/namespaces/a/services/%2E./x",
      "/v1/namespaces/a/services/web%2fendpoints%2Fx",
      "/v1/namespaces/a/services/web/endpoints/%2F",
      "/v1%2F..%2Ftether/host"})
  void isRefusedWith400BeforeForwarding(String path) throws IOException {
    hooked.clear();
    String[] answer = raw(path);

    assertThat(answer[0]).startsWith("HTTP/1.1 400");
    JsonNode body = new ObjectMapper().readTree(answer[1]);
    assertThat(body.path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(hooked).isEmpty();
  }

  @Test
  void theHookSeesTheRawPathThatIsForwarded() throws IOException {
    hooked.clear();
    String[] answer = raw("/v1/namespaces/a/services/we%62?effective=true");

    assertThat(answer[0]).startsWith("HTTP/1.1 ");
    assertThat(hooked).containsExactly("/v1/namespaces/a/services/we%62 /v1/namespaces/a/services/we%62?effective=true");
  }
}
