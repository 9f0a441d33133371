package io.tether.xds.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Asks another replica's REST API, on the caller's own event loop (no thread blocks): used to merge
 * {@code /v1/proxies} across replicas and to forward a proxy's config to the replica that serves it.
 * Each request is bounded by {@link #TIMEOUT_MS}, so one dead peer costs a listing that long at most.
 */
final class PeerClient {
  static final long TIMEOUT_MS = 2_000;
  private static final int CONNECT_TIMEOUT_MS = 1_000;

  /** A peer's answer: its status and its JSON body (null when it sent none or not JSON). */
  record Answer(int status, JsonNode body) {}

  private final HttpClient http;

  /** {@code peerTrust}: the CA certificates an https peer is verified by (null: the JVM's). */
  PeerClient(Vertx vertx, PemTrustOptions peerTrust) {
    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    if (peerTrust != null) {
      options.setTrustOptions(peerTrust);
    }
    this.http = vertx.createHttpClient(options);
  }

  /** GET {@code apiUrl + pathAndQuery} with the caller's Authorization header (null: none). */
  Future<Answer> get(String apiUrl, String pathAndQuery, String authorization) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(apiUrl + pathAndQuery)
        .setTimeout(TIMEOUT_MS).putHeader("Accept", "application/json");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return http.request(request)
        .compose(r -> r.send())
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), json(body.getBytes()))))
        .timeout(TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static JsonNode json(byte[] body) {
    try {
      return body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
