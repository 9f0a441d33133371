package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.RegistryPerClass;
import io.tether.registry.testing.SseStream;
import io.tether.registry.testing.TestRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/watch}: the registry's changes as server-sent events, read by a real HTTP client. */
class WatchApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  private static String url(String query) {
    return registry.testRegistry().baseUrl() + "/v1/watch" + query;
  }

  @Test
  void everyChangeArrivesInOrderWithItsRevisionAndTheResourceAsGetReturnsIt() {
    ApiClient api = registry.api();
    try (SseStream watch = new SseStream(url(""), TestRegistry.ADMIN)) {
      assertThat(watch.status()).isEqualTo(200);
      assertThat(watch.header("Content-Type")).startsWith("text/event-stream");
      assertThat(watch.next(WAIT).get("comment")).startsWith("watching changes after revision");

      api.put("/v1/namespaces/w1", "{\"description\":\"watched\"}").expect(201);
      api.put("/v1/namespaces/w1/services/payments", "{\"portName\":\"http\",\"appProtocol\":\"http\","
          + "\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}]}").expect(201);
      ApiClient.Response ep = api.put("/v1/namespaces/w1/services/payments/endpoints/task-1",
          "{\"address\":\"10.0.0.7\",\"port\":15000,\"zone\":\"z1\"}").expect(201);
      api.delete("/v1/namespaces/w1/services/payments/endpoints/task-1").expect(204);

      SseStream.Frame ns = watch.nextChange(WAIT);
      JsonNode nsData = ns.data();
      assertThat(nsData.path("namespace").asText()).isEqualTo("w1");
      assertThat(nsData.path("kind").asText()).isEqualTo("namespace");
      assertThat(nsData.path("op").asText()).isEqualTo("put");
      assertThat(nsData.has("service") && nsData.get("service").isNull()).as("service: null in %s", nsData).isTrue();
      assertThat(nsData.get("id").isNull()).isTrue();
      assertThat(nsData.path("value").path("description").asText()).isEqualTo("watched");
      assertThat(ns.get("id")).isEqualTo(nsData.path("revision").asText());

      JsonNode svc = watch.nextChange(WAIT).data();
      assertThat(svc.path("kind").asText()).isEqualTo("service");
      assertThat(svc.path("service").asText()).isEqualTo("payments");
      assertThat(svc.path("value")).isEqualTo(api.get("/v1/namespaces/w1/services/payments").body());
      assertThat(svc.path("revision").asLong()).isGreaterThan(nsData.path("revision").asLong());

      JsonNode put = watch.nextChange(WAIT).data();
      assertThat(put.path("kind").asText()).isEqualTo("endpoint");
      assertThat(put.path("id").asText()).isEqualTo("task-1");
      assertThat(put.path("op").asText()).isEqualTo("put");
      assertThat(put.path("value").path("address").asText()).isEqualTo("10.0.0.7");
      assertThat(put.path("revision").asText()).isEqualTo(ep.etag().replace("\"", ""));

      JsonNode delete = watch.nextChange(WAIT).data();
      assertThat(delete.path("op").asText()).isEqualTo("delete");
      assertThat(delete.path("id").asText()).isEqualTo("task-1");
      assertThat(delete.get("value").isNull()).isTrue();
      assertThat(delete.path("revision").asLong()).isGreaterThan(put.path("revision").asLong());
    }
  }

  @Test
  void aChangeReachesTheStreamWithinASecondOfItsWriteAndInOrder() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/lat", "{}");
    // The watch opens on the view's state: let it hold the namespace, so its creation is not the first change.
    Poll.until(WAIT, () -> registry.testRegistry().server().view().current().namespace("lat").isPresent(),
        "the view holds the new namespace");
    int n = 200;
    long[] ms = new long[n];
    try (SseStream watch = new SseStream(url("?namespace=lat"), TestRegistry.ADMIN)) {
      watch.next(WAIT);
      for (int i = 0; i < n; i++) {
        api.put("/v1/namespaces/lat", "{\"description\":\"d" + i + "\"}").expect(200);
        long written = System.nanoTime();
        JsonNode change = watch.nextChange(WAIT).data();
        ms[i] = (System.nanoTime() - written) / 1_000_000;
        assertThat(change.path("value").path("description").asText()).isEqualTo("d" + i);
      }
    }
    java.util.Arrays.sort(ms);
    System.out.printf("[WatchApiTest] write answered -> its event read, %d changes: p50 %d ms, p99 %d ms, max %d ms%n",
        n, ms[n / 2], ms[n * 99 / 100], ms[n - 1]);
    assertThat(ms[n - 1]).as("ms from a write's answer to its event").isLessThan(1_000);
  }

  @Test
  void callersSeeOnlyTheNamespacesTheyMayRead() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/a", "{}");
    api.put("/v1/namespaces/b", "{}");
    try (SseStream agentA = new SseStream(url(""), TestRegistry.AGENT_A);
        SseStream onlyB = new SseStream(url("?namespace=b"), TestRegistry.READER)) {
      agentA.next(WAIT);
      onlyB.next(WAIT);
      api.put("/v1/namespaces/b", "{\"description\":\"b1\"}").expect(200);
      api.put("/v1/namespaces/a", "{\"description\":\"a1\"}").expect(200);
      api.put("/v1/namespaces/b", "{\"description\":\"b2\"}").expect(200);
      // Ordered streams: the first change each gets is the first of its namespaces, so nothing else came before.
      assertThat(agentA.nextChange(WAIT).data().path("value").path("description").asText()).isEqualTo("a1");
      assertThat(onlyB.nextChange(WAIT).data().path("value").path("description").asText()).isEqualTo("b1");
      assertThat(onlyB.nextChange(WAIT).data().path("value").path("description").asText()).isEqualTo("b2");
    }
  }

  @Test
  void refusalsAreTheApisJsonErrors() {
    ApiClient api = registry.api();
    assertThat(api.as(null).get("/v1/watch").expect(401).errorCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(api.as(TestRegistry.AGENT_A).get("/v1/watch?namespace=b").expect(403).errorCode())
        .isEqualTo("PERMISSION_DENIED");
    ApiClient.Response bad = api.get("/v1/watch?namespace=Not_A_Label").expect(400);
    assertThat(bad.errorField()).isEqualTo("namespace");
  }

  @Test
  void aClientTooSlowIsDisconnectedAndCountedAndCanReconnect() throws Exception {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/slow", "{}");
    api.put("/v1/namespaces/slow/services/big", "{\"portName\":\"http\"}");
    double droppedBefore = dropped();
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(2048);
      slow.connect(new InetSocketAddress("127.0.0.1", registry.testRegistry().server().apiPort()));
      OutputStream out = slow.getOutputStream();
      out.write(("GET /v1/watch?namespace=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + TestRegistry.ADMIN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = slow.getInputStream();
      assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      // It reads no more; each change carries about 16 KiB of metadata, so its buffer fills within a few hundred.
      String metadata = bigMetadata();
      int writes = 0;
      while (dropped() == droppedBefore && writes < 2_000) {
        api.put("/v1/namespaces/slow/services/big/endpoints/e" + (writes % 50),
            "{\"address\":\"10.0.0.1\",\"port\":" + (1000 + writes) + ",\"metadata\":" + metadata + "}").expect(writes < 50 ? 201 : 200);
        writes++;
      }
      assertThat(dropped()).as("slow clients dropped after %d writes", writes).isEqualTo(droppedBefore + 1);
      slow.setSoTimeout((int) WAIT.toMillis());
      Poll.until(WAIT, () -> endOfStream(in), "the slow client's connection is closed");
    }
    try (SseStream again = new SseStream(url("?namespace=slow"), TestRegistry.ADMIN)) {
      again.next(WAIT);
      api.delete("/v1/namespaces/slow/services/big/endpoints/e0").expect(204);
      assertThat(again.nextChange(WAIT).data().path("id").asText()).isEqualTo("e0");
    }
  }

  @Test
  void aKeepaliveCommentComesEveryFifteenSeconds() {
    try (SseStream watch = new SseStream(url(""), TestRegistry.ADMIN)) {
      watch.next(WAIT);
      assertThat(watch.next(WatchApi.KEEPALIVE.plus(WAIT)).get("comment")).isEqualTo("keepalive");
    }
  }

  private static double dropped() {
    return registry.testRegistry().server().meters().get("tether.watch.clients.dropped").counter().count();
  }

  private static boolean endOfStream(InputStream in) {
    try {
      byte[] sink = new byte[65536];
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (java.io.IOException reset) {
      return true; // reset by the server, or no byte for WAIT: the poll's deadline decides
    }
  }

  private static String bigMetadata() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < 32; i++) {
      b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"").append("v".repeat(250)).append('"');
    }
    return b.append('}').toString();
  }
}
