package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Poll;
import io.tether.registry.testing.RawHttp;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API port's server-side limits, with short timeouts: a stalled request line, unfinished
 * headers, a short body and an idle keep-alive connection are all cut off, and connections beyond
 * the limit are closed on accept. Each "closed" is checked within a deadline well above the timeout,
 * and each "still open" by a later successful request on the same connection.
 */
class ConnectionLimitsTest {
  private static final Duration TIMEOUT = Duration.ofMillis(700);
  private static final int CLOSED_WITHIN_MS = 5_000;
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(List.of(TestEtcd.shared().clientUrl()), TestEtcd.uniquePrefix(),
        new HttpLimits(TIMEOUT, TIMEOUT, TIMEOUT, 4, HttpLimits.DEFAULT_BODY_LIMIT, Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private RawHttp connect() {
    return new RawHttp(registry.server().apiPort());
  }

  @Test
  void aPartialRequestLineIsCutOff() {
    try (RawHttp http = connect()) {
      http.send("GET /heal");
      assertThat(http.closedWithin(CLOSED_WITHIN_MS)).isTrue();
    }
  }

  @Test
  void unfinishedHeadersAreCutOff() {
    try (RawHttp http = connect()) {
      http.send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ");
      assertThat(http.closedWithin(CLOSED_WITHIN_MS)).isTrue();
    }
  }

  @Test
  void aShortBodyIsAnswered408AndCutOff() {
    try (RawHttp http = connect()) {
      http.send("PUT /v1/namespaces/slow HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + TestRegistry.ADMIN
          + "\r\nContent-Length: 100\r\n\r\n{\"descr");
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.errorCode()).isEqualTo("REQUEST_TIMEOUT");
      assertThat(http.closedWithin(CLOSED_WITHIN_MS)).isTrue();
    }
    assertThat(registry.admin().get("/v1/namespaces/slow").status()).isEqualTo(404);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedButABusyOneIsNot() {
    try (RawHttp http = connect()) {
      // Requests spaced at half the idle timeout, for three timeouts: the connection stays open.
      long end = System.nanoTime() + TIMEOUT.multipliedBy(3).toNanos();
      while (System.nanoTime() < end) {
        assertThat(http.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        assertThat(http.closedWithin((int) TIMEOUT.toMillis() / 2)).as("open between requests").isFalse();
      }
      assertThat(http.closedWithin(CLOSED_WITHIN_MS)).as("closed once idle").isTrue();
    }
  }

  @Test
  void connectionsOverTheLimitAreClosedOnAccept() {
    awaitNoConnections();
    try (RawHttp a = connect(); RawHttp b = connect(); RawHttp c = connect(); RawHttp d = connect()) {
      for (RawHttp held : List.of(a, b, c, d)) {
        held.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(held.read().status()).isEqualTo(200);
      }
      try (RawHttp over = connect()) {
        assertThat(over.closedWithin(CLOSED_WITHIN_MS)).as("the fifth connection").isTrue();
      }
    }
    awaitNoConnections();
    try (RawHttp again = connect()) {
      assertThat(again.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).as("after the others closed").isEqualTo(200);
    }
  }

  /** Waits until the server has seen every earlier connection close (idle ones close after the timeout). */
  private static void awaitNoConnections() {
    Poll.until(Duration.ofSeconds(5), () -> registry.server().meters()
        .get("tether.http.connections.open").gauge().value() == 0, "all API connections closed");
  }
}
