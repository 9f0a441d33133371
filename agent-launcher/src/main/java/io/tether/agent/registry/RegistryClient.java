package io.tether.agent.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tether.model.json.Json;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.ServiceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The agent's side of the registry REST API (README, "REST API"), speaking as one bearer token.
 *
 * <p>Every call has a timeout, and retries what is worth retrying: no connection, a timeout, or a
 * 502/503/504 (etcd briefly unavailable, a replica restarting), with exponential back-off and jitter;
 * when the retries run out it throws {@link RegistryUnavailableException}. Any other error answer,
 * a 4xx above all, is thrown at once as {@link RegistryCallException} with the server's code, message
 * and field. A lease that no longer exists is {@link LeaseGoneException}. Removing what is already gone
 * (deregister, revoke) succeeds. A retried lease grant whose first answer was lost may leave a lease
 * behind; it holds nothing and expires after its TTL.
 *
 * <p>Thread-safe. Calls block the calling thread (up to about attempts × timeout plus back-off).
 */
public final class RegistryClient {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,253}");
  /** Responses are read leniently: a newer server may add fields this agent does not know. */
  private static final ObjectReader LENIENT = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** How hard to try. */
  public record Options(Duration timeout, int attempts, Duration firstBackoff, Duration maxBackoff) {
    public static final Options DEFAULTS = new Options(Duration.ofSeconds(5), 4, Duration.ofMillis(200), Duration.ofSeconds(2));

    public Options {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
    }
  }

  /** A granted lease: its id, and the TTL etcd granted (which may exceed the TTL asked for). */
  public record Lease(long id, long ttlSeconds) {}

  private final URI base;
  private final String authorization;
  private final Options options;
  private final HttpClient http;

  public RegistryClient(URI base, String token) {
    this(base, token, Options.DEFAULTS);
  }

  public RegistryClient(URI base, String token, Options options) {
    String url = Objects.requireNonNull(base, "base").toString();
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
    this.options = Objects.requireNonNull(options, "options");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(options.timeout()).build();
  }

  public URI base() {
    return base;
  }

  /** Grants a lease in the namespace (the registry allows 2 to 3600 s). */
  public Lease grantLease(String namespace, long ttlSeconds) {
    JsonNode r = call("POST", "/v1/leases", Map.of("ttlSeconds", ttlSeconds, "namespace", namespace), "grant a lease", -1);
    return new Lease(r.path("leaseId").asLong(), r.path("ttlSeconds").asLong());
  }

  /** Renews the lease once; returns its TTL after renewal. @throws LeaseGoneException when it has expired or been revoked */
  public long keepAlive(long leaseId) {
    return call("POST", "/v1/leases/" + leaseId + "/keepalive", null, "keep lease " + leaseId + " alive", leaseId)
        .path("ttlSeconds").asLong();
  }

  /** Revokes the lease, which removes every endpoint under it; a lease already gone is not an error. */
  public void revoke(long leaseId) {
    try {
      call("DELETE", "/v1/leases/" + leaseId, null, "revoke lease " + leaseId, leaseId);
    } catch (LeaseGoneException e) {
      // already gone: what revoking wanted
    }
  }

  /**
   * Creates or replaces an endpoint. The endpoint's leaseId is required of agent tokens.
   *
   * @throws LeaseGoneException when the endpoint's lease no longer exists
   */
  public void registerEndpoint(String namespace, String service, String endpointId, Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    long leaseId = endpoint.leaseId() == null ? -1 : endpoint.leaseId();
    call("PUT", endpointPath(namespace, service, endpointId), endpoint,
        "register endpoint " + namespace + "/" + service + "/" + endpointId, leaseId);
  }

  /** Sets an endpoint's health. @throws RegistryCallException with status 404 when the endpoint is gone */
  public void setHealth(String namespace, String service, String endpointId, Health health) {
    call("PUT", endpointPath(namespace, service, endpointId) + "/health", Map.of("health", health),
        "set health of " + namespace + "/" + service + "/" + endpointId + " to " + health, -1);
  }

  /** Removes an endpoint; one already gone is not an error. */
  public void deregister(String namespace, String service, String endpointId) {
    try {
      call("DELETE", endpointPath(namespace, service, endpointId), null,
          "deregister " + namespace + "/" + service + "/" + endpointId, -1);
    } catch (RegistryCallException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /** Every client alias's dnsName in the namespace, to its virtual IP: what the hosts file maps. */
  public Map<String, String> aliases(String namespace) {
    JsonNode page = call("GET", "/v1/namespaces/" + segment(namespace) + "/services", null,
        "list services of " + namespace, -1);
    Map<String, String> aliases = new TreeMap<>();
    for (JsonNode service : page.path("items")) {
      for (JsonNode alias : service.path("clientAliases")) {
        String vip = alias.path("vip").asText(null);
        if (vip != null && alias.hasNonNull("dnsName")) {
          aliases.put(alias.path("dnsName").asText(), vip);
        }
      }
    }
    return aliases;
  }

  /** A service as stored, or with {@code effective} its policy filled in from namespace and Service Connect defaults. */
  public ServiceSpec service(String namespace, String service, boolean effective) {
    JsonNode spec = call("GET", "/v1/namespaces/" + segment(namespace) + "/services/" + segment(service)
        + (effective ? "?effective=true" : ""), null, "get service " + namespace + "/" + service, -1);
    try {
      return LENIENT.treeToValue(spec, ServiceSpec.class);
    } catch (IOException e) {
      throw new RegistryCallException(200, null, null, "service " + namespace + "/" + service
          + " is not a ServiceSpec: " + e.getMessage(), e);
    }
  }

  // ---- plumbing ----

  /** One call with retries; {@code leaseId} (or -1) turns a 404 about that lease into {@link LeaseGoneException}. */
  private JsonNode call(String method, String path, Object body, String what, long leaseId) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(options.timeout())
        .header("Authorization", authorization).header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
        .build();
    RegistryUnavailableException last = null;
    for (int attempt = 1; attempt <= options.attempts(); attempt++) {
      if (attempt > 1) {
        backOff(attempt, what);
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        last = new RegistryUnavailableException(0, null, "could not " + what + ": registry at " + base
            + " unreachable after " + attempt + " attempt(s): " + e, e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryCallException(0, null, null, "interrupted while trying to " + what, e);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return parse(response.body());
      }
      JsonNode error = parse(response.body()).path("error");
      String code = error.path("code").asText(null);
      String message = "could not " + what + ": " + status + (code == null ? "" : " " + code) + ": "
          + error.path("message").asText(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      if (status == 502 || status == 503 || status == 504) {
        last = new RegistryUnavailableException(status, code, message + " (after " + attempt + " attempt(s))", null);
        continue;
      }
      String field = error.path("field").asText(null);
      if (status == 404 && leaseId >= 0 && ("leaseId".equals(field) || path.startsWith("/v1/leases/"))) {
        throw new LeaseGoneException(leaseId, code, message);
      }
      throw new RegistryCallException(status, code, field, message, null);
    }
    throw last;
  }

  private void backOff(int attempt, String what) {
    long ceiling = Math.min(options.maxBackoff().toMillis(), options.firstBackoff().toMillis() << Math.min(attempt - 2, 20));
    // Jitter: agents that lost the registry together must not come back in lockstep.
    long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryCallException(0, null, null, "interrupted while waiting to retry: " + what, e);
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    try {
      return LENIENT.readTree(body);
    } catch (IOException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance(); // not JSON: a proxy's error page
    }
  }

  private static String endpointPath(String namespace, String service, String endpointId) {
    return "/v1/namespaces/" + segment(namespace) + "/services/" + segment(service) + "/endpoints/" + segment(endpointId);
  }

  /** Names go into the URL path as they are: anything that could change the path's meaning is refused here. */
  private static String segment(String name) {
    if (name == null || !SEGMENT.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a valid registry name: '" + name + "'");
    }
    return name;
  }
}
