package io.tether.agent.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The injected sidecar's health check, run through bash as ECS runs it, against a stand-in Envoy admin interface. */
class SidecarHealthCheckTest {
  @Test
  void healthCheckPassesOnlyWhileEnvoysAdminSaysReady() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    admin.createContext("/ready", exchange -> {
      byte[] body = (status.get() == 200 ? "LIVE\n" : "PRE_INITIALIZING\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    admin.start();
    try {
      int port = admin.getAddress().getPort();
      assertThat(healthCheck(port)).as("while initializing").isNotZero();
      status.set(200);
      assertThat(healthCheck(port)).as("when ready").isZero();
    } finally {
      admin.stop(0);
    }
  }

  @Test
  void healthCheckFailsWhenNothingListensOnTheAdminPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(healthCheck(port)).isNotZero();
  }

  private static int healthCheck(int adminPort) throws IOException, InterruptedException {
    JsonNode sidecar = InjectFixtures.sidecar(InjectFixtures.inject(InjectFixtures.task("bridge"),
        InjectFixtures.options().service(InjectFixtures.payments()).adminPort(adminPort)).document());
    List<String> command = InjectFixtures.toList(sidecar.at("/healthCheck/command"));
    assertThat(command.get(0)).isEqualTo("CMD");
    Process p = new ProcessBuilder(command.subList(1, command.size())).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the health check finished").isTrue();
    return p.exitValue();
  }
}
