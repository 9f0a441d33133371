package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.relay.RestRelay;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestChildren;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that sends part of a request and then nothing is cut off; others are still answered. */
class HostRestRelaySlowClientTest {
  @Test
  void aPartialRequestLineIsClosedWithinMaxReqTimeWhileANormalRequestIsAnswered() throws Exception {
    List<String> command = ChildJvm.main(RestRelayMain.class);
    command.add("http://127.0.0.1:9");
    Process relay = TestChildren.start(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT));
    try {
      int port = Integer.parseInt(new BufferedReader(new InputStreamReader(relay.getInputStream(),
          StandardCharsets.UTF_8)).readLine().trim());
      try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
        slow.getOutputStream().write("GET /tether/ho".getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        slow.setSoTimeout((int) TimeUnit.SECONDS.toMillis(RestRelay.MAX_REQUEST_SECONDS + 10));
        long start = System.nanoTime();

        ApiClient.Response r = new ApiClient("http://127.0.0.1:" + port, null).get("/tether/host").expect(200);
        assertThat(r.body().path("namespace").asText()).isEqualTo("a");

        InputStream in = slow.getInputStream();
        assertThat(in.read()).isEqualTo(-1); // closed, not answered (a timeout here throws)
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(RestRelay.MAX_REQUEST_SECONDS - 1))
            .isLessThan(Duration.ofSeconds(RestRelay.MAX_REQUEST_SECONDS + 5));
      }
    } finally {
      relay.getOutputStream().close();
      if (!relay.waitFor(10, TimeUnit.SECONDS)) {
        relay.destroyForcibly();
      }
    }
  }
}
