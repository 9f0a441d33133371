package io.tether.client;

import static io.tether.client.ApiRequests.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.json.Json;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The registry REST API (README, "REST API"), speaking as one bearer token: typed calls for what the
 * operator CLI and the agent do, and {@link #exchange} for requests that must go out exactly as given.
 *
 * <p>Typed calls send and accept JSON, and throw {@link ApiException} for any answer that is not 2xx
 * and for no answer at all; they do not retry, because what is worth retrying is the caller's policy.
 * Names are URL-encoded into the path. Thread-safe. How a request is sent: {@link ApiRequests}; the
 * HTTP clients it is sent on and the CA they trust: {@link SharedHttpClients}.
 */
public final class TetherClient {
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@]{1,256}");

  /**
   * Makes clients built from now on without {@link Builder#trust} trust this CA's file (null: the JVM's
   * CAs again). For a process that talks to one server, set once from its {@code --server-ca}.
   */
  public static void trustByDefault(Path ca) {
    SharedHttpClients.trustByDefault(ca);
  }

  private final ApiRequests requests;

  private TetherClient(ApiRequests requests) {
    this.requests = requests;
  }

  /** @param base the API's URL, e.g. {@code http://127.0.0.1:8700}; trailing slashes are dropped */
  public static Builder builder(String base) {
    return new Builder(Objects.requireNonNull(base, "base").replaceAll("/+$", ""));
  }

  /** The same API and settings, as another token (null: none). */
  public TetherClient withToken(String otherToken) {
    return new TetherClient(requests.withToken(otherToken));
  }

  public String base() {
    return requests.base();
  }

  // ---- namespaces ----

  public JsonNode namespaces() {
    return get(path("namespaces"));
  }

  /** A namespace with its ETag, for a conditional write after. */
  public ApiResponse namespace(String ns) {
    return namespace(ns, false);
  }

  /** As {@link #namespace(String)}; with {@code effective}, its tracing's defaults filled in. */
  public ApiResponse namespace(String ns, boolean effective) {
    return call("GET", path("namespaces", ns) + (effective ? "?effective=true" : ""), null);
  }

  /** Creates or replaces a namespace with the JSON given. */
  public JsonNode putNamespace(String ns, byte[] json) {
    return call("PUT", path("namespaces", ns), json).json();
  }

  /** Creates a namespace only if it does not exist ({@code If-None-Match: *}). */
  public JsonNode createNamespace(String ns, byte[] json) {
    return call("PUT", path("namespaces", ns), json, "If-None-Match", "*").json();
  }

  /** Replaces a namespace only if it is still the version read ({@code If-Match: etag}). */
  public JsonNode replaceNamespace(String ns, byte[] json, String etag) {
    return call("PUT", path("namespaces", ns), json, "If-Match", etag).json();
  }

  public JsonNode deleteNamespace(String ns) {
    return call("DELETE", path("namespaces", ns), null).json();
  }

  // ---- services ----

  /** A page of the namespace's services (their specs and endpoint counts). */
  public JsonNode services(String ns) {
    return get(path("namespaces", ns, "services"));
  }

  /** A service as stored, or with {@code effective} its policy filled in from namespace and Service Connect defaults. */
  public JsonNode service(String ns, String name, boolean effective) {
    return get(path("namespaces", ns, "services", name) + (effective ? "?effective=true" : ""));
  }

  public JsonNode putService(String ns, String name, byte[] json) {
    return call("PUT", path("namespaces", ns, "services", name), json).json();
  }

  public JsonNode deleteService(String ns, String name) {
    return call("DELETE", path("namespaces", ns, "services", name), null).json();
  }

  // ---- endpoints ----

  public JsonNode endpoints(String ns, String service) {
    return get(path("namespaces", ns, "services", service, "endpoints"));
  }

  public JsonNode endpoint(String ns, String service, String id) {
    return get(path("namespaces", ns, "services", service, "endpoints", id));
  }

  /** Creates or replaces an endpoint; an agent token must give its leaseId. */
  public JsonNode putEndpoint(String ns, String service, String id, Endpoint endpoint) {
    return call("PUT", path("namespaces", ns, "services", service, "endpoints", id), Json.write(endpoint)).json();
  }

  /**
   * Registers or replaces several endpoints of a namespace at once, all or nothing ({@code PUT
   * /v1/namespaces/{ns}/endpoints}); {@code entries} are {@code {"service", "id", "endpoint"}} objects.
   */
  public JsonNode putEndpoints(String ns, List<Map<String, Object>> entries) {
    return call("PUT", path("namespaces", ns, "endpoints"), Json.write(Map.of("endpoints", entries))).json();
  }

  public JsonNode setHealth(String ns, String service, String id, Health health) {
    return call("PUT", path("namespaces", ns, "services", service, "endpoints", id, "health"),
        Json.write(Map.of("health", health))).json();
  }

  public JsonNode deleteEndpoint(String ns, String service, String id) {
    return call("DELETE", path("namespaces", ns, "services", service, "endpoints", id), null).json();
  }

  /** An operator's drain ({@code drained}) or its lifting; answers the endpoint as it now is. */
  public JsonNode drainEndpoint(String ns, String service, String id, boolean drained) {
    return call(drained ? "PUT" : "DELETE", path("namespaces", ns, "services", service, "endpoints", id, "drain"),
        drained ? "{}".getBytes(StandardCharsets.UTF_8) : null).json();
  }

  // ---- leases ----

  /** Grants a lease in the namespace (the API allows 2 to 3600 s). */
  public Lease grantLease(String ns, long ttlSeconds) {
    JsonNode r = call("POST", "/v1/leases", Json.write(Map.of("ttlSeconds", ttlSeconds, "namespace", ns))).json();
    return new Lease(r.path("leaseId").asLong(), r.path("ttlSeconds").asLong());
  }

  /** Renews the lease once; returns its TTL after renewal. */
  public long keepAlive(long leaseId) {
    return call("POST", "/v1/leases/" + leaseId + "/keepalive", null).json().path("ttlSeconds").asLong();
  }

  /** Revokes the lease, which removes every endpoint under it. */
  public void revokeLease(long leaseId) {
    call("DELETE", "/v1/leases/" + leaseId, null);
  }

  // ---- xDS ----

  /** Where the control plane serves xDS, and whether with TLS: what an agent needs for its bootstrap. */
  public XdsInfo xds() {
    JsonNode r = get("/v1/xds");
    if (!r.path("address").isTextual() || !r.path("tls").isBoolean()) {
      throw new IllegalStateException("GET " + base() + "/v1/xds answered without an address and tls: " + r);
    }
    return new XdsInfo(r.path("address").asText(), r.path("tls").asBoolean());
  }

  // ---- proxies ----

  /** The connected xDS clients and refused nodes, of one namespace or (null) of all the caller may read. */
  public JsonNode proxies(String ns) {
    return get("/v1/proxies" + (ns == null ? "" : "?namespace=" + URLEncoder.encode(ns, StandardCharsets.UTF_8)));
  }

  /** What a client is served; ns null: the node id in any namespace. Node ids go into the path as sent: checked. */
  public JsonNode proxyConfig(String ns, String nodeId) {
    if (nodeId == null || !NODE_ID.matcher(nodeId).matches() || nodeId.equals(".") || nodeId.equals("..")) {
      throw new IllegalArgumentException("not a valid node id: '" + nodeId + "'");
    }
    return get((ns == null ? path("proxies") : path("proxies", ns)) + "/" + nodeId + "/config");
  }

  // ---- watch ----

  /**
   * Follows {@code GET /v1/watch} (of one namespace, or null: all the caller may read), handing each
   * line of the event stream to {@code lines} until the server ends it; an interrupt of the calling
   * thread closes the stream. Only the answer's headers are bound by the request timeout.
   */
  public void watch(String ns, java.util.function.Consumer<String> lines) {
    String path = "/v1/watch" + (ns == null ? "" : "?namespace=" + URLEncoder.encode(ns, StandardCharsets.UTF_8));
    HttpRequest request = requests.request(path).GET().header("Accept", "text/event-stream").build();
    EventStream.follow(requests.http(), request, base(), path, lines);
  }

  // ---- plumbing ----

  private JsonNode get(String path) {
    return call("GET", path, null).json();
  }

  /** A typed call: JSON both ways, and anything but a 2xx answer thrown as {@link ApiException}. */
  public ApiResponse call(String method, String path, byte[] body, String... headers) {
    return requests.call(method, path, body, headers);
  }

  /**
   * One request exactly as given: the path as is (not encoded), only the headers given (name, value, …)
   * besides the token's. Every answer is returned, whatever its status.
   *
   * @throws ApiException with status 0 when there is no answer
   */
  public ApiResponse exchange(String method, String path, byte[] body, String... headers) {
    return requests.exchange(method, path, body, headers);
  }

  /** How to reach the API: the token, the timeouts and the HTTP version. */
  public static final class Builder {
    private final String base;
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Duration requestTimeout = Duration.ofSeconds(15);
    private HttpClient.Version version = HttpClient.Version.HTTP_2; // the JDK's default
    private Path ca;

    private Builder(String base) {
      this.base = base;
    }

    /** The bearer token; null sends none. */
    public Builder token(String value) {
      this.token = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** How long one request may take, answer included. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** HTTP/1.1 only: no h2c upgrade is offered, for callers that must not depend on one. */
    public Builder http11() {
      this.version = HttpClient.Version.HTTP_1_1;
      return this;
    }

    /** Trusts the API's certificate by this PEM CA file instead of the JVM's CAs (null: as by default). */
    public Builder trust(Path caPem) {
      this.ca = caPem;
      return this;
    }

    public TetherClient build() {
      HttpClient http = SharedHttpClients.get(version, connectTimeout, ca);
      return new TetherClient(new ApiRequests(base, token, requestTimeout, http));
    }
  }
}
