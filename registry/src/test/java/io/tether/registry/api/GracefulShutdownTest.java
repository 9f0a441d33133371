package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.RawHttp;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the server lets a request in flight finish: here a PUT whose body is still arriving when
 * the stop begins is answered 201, while a new connection is refused once the stop has begun.
 */
class GracefulShutdownTest {
  @Test
  void aRequestInFlightFinishesWhileNewConnectionsAreRefused() throws Exception {
    TestRegistry registry = new TestRegistry(TestEtcd.shared().clientUrl());
    int port = registry.server().apiPort();
    String body = "{\"description\":\"finished during shutdown\"}";
    try (RawHttp inFlight = new RawHttp(port)) {
      inFlight.send("PUT /v1/namespaces/late HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + TestRegistry.ADMIN
          + "\r\nExpect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
      // The interim answer proves the server has the request in hand before the stop begins.
      assertThat(inFlight.read().status()).isEqualTo(100);
      inFlight.send(body.substring(0, 10));
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(registry::close);
      io.tether.registry.testing.Poll.until(java.time.Duration.ofSeconds(5), () -> !accepts(port), "the listener is closed");
      RawHttp.Response r = inFlight.send(body.substring(10)).read();
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
      assertThat(inFlight.closedWithin(5_000)).as("then its connection is closed").isTrue();
      stopping.get(20, TimeUnit.SECONDS);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
