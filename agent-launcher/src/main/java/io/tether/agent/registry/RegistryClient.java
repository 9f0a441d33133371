package io.tether.agent.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.ServiceSpec;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
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
 * <p>The HTTP is {@link TetherClient}'s; this class is the agent's policy over it: the retries, and the
 * mapping of its {@link ApiException} into the exceptions above.
 *
 * <p>Thread-safe. Calls block the calling thread (up to about attempts × timeout plus back-off).
 */
public final class RegistryClient {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,253}");
  /** The field a batch's refusal names when an entry's lease is to blame. */
  private static final Pattern BATCH_LEASE = Pattern.compile("endpoints\\[(\\d+)]\\.endpoint\\.leaseId");
  /** Responses are read leniently: a newer server may add fields this agent does not know. */
  private static final long NO_LEASE = -1;
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
  private final Options options;
  private final TetherClient api;

  public RegistryClient(URI base, String token) {
    this(base, token, Options.DEFAULTS);
  }

  public RegistryClient(URI base, String token, Options options) {
    this(api(base, Objects.requireNonNull(token, "token"), options), options);
  }

  /**
   * A client that sends no token, for a relay that adds it on the way (the ECS host agent's: a task
   * there holds no secret; docs/ecs.md).
   */
  public static RegistryClient viaRelay(URI relay) {
    return new RegistryClient(api(relay, null, Options.DEFAULTS), Options.DEFAULTS);
  }

  private RegistryClient(TetherClient api, Options options) {
    this.options = options;
    this.api = api;
    this.base = URI.create(api.base());
  }

  private static TetherClient api(URI base, String token, Options options) {
    Objects.requireNonNull(options, "options");
    return TetherClient.builder(Objects.requireNonNull(base, "base").toString()).token(token).http11()
        .connectTimeout(options.timeout()).requestTimeout(options.timeout()).build();
  }

  public URI base() {
    return base;
  }

  /** Grants a lease in the namespace (the registry allows 2 to 3600 s). */
  public Lease grantLease(String namespace, long ttlSeconds) {
    io.tether.client.Lease lease = call("grant a lease", NO_LEASE, () -> api.grantLease(namespace, ttlSeconds));
    return new Lease(lease.id(), lease.ttlSeconds());
  }

  /** Renews the lease once; returns its TTL after renewal. @throws LeaseGoneException when it has expired or been revoked */
  public long keepAlive(long leaseId) {
    return call("keep lease " + leaseId + " alive", leaseId, () -> api.keepAlive(leaseId));
  }

  /** Revokes the lease, which removes every endpoint under it; a lease already gone is not an error. */
  public void revoke(long leaseId) {
    try {
      call("revoke lease " + leaseId, leaseId, () -> {
        api.revokeLease(leaseId);
        return null;
      });
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
    checkNames(namespace, service, endpointId);
    long leaseId = endpoint.leaseId() == null ? NO_LEASE : endpoint.leaseId();
    call("register endpoint " + namespace + "/" + service + "/" + endpointId, leaseId,
        () -> api.putEndpoint(namespace, service, endpointId, endpoint));
  }

  /** One endpoint of {@link #registerEndpoints}: its service, id and value. */
  public record BatchEntry(String service, String id, Endpoint endpoint) {}

  /**
   * Creates or replaces up to 64 endpoints of the namespace in one call, all or nothing: for a host
   * whose many tasks register together (docs/scale.md, "Registration throughput").
   *
   * @throws LeaseGoneException when a lease of the batch no longer exists: none of it was written
   */
  public void registerEndpoints(String namespace, List<BatchEntry> entries) {
    checkNames(namespace);
    List<Map<String, Object>> body = entries.stream().map(e -> {
      checkNames(e.service(), e.id());
      return Map.<String, Object>of("service", e.service(), "id", e.id(), "endpoint", e.endpoint());
    }).toList();
    try {
      call("register " + entries.size() + " endpoints in " + namespace, NO_LEASE, () -> api.putEndpoints(namespace, body));
    } catch (RegistryCallException e) {
      Matcher blamed = BATCH_LEASE.matcher(e.field() == null ? "" : e.field());
      if (e.isNotFound() && blamed.matches()) {
        throw new LeaseGoneException(entries.get(Integer.parseInt(blamed.group(1))).endpoint().leaseId(), e.code(),
            e.getMessage());
      }
      throw e;
    }
  }

  /** Sets an endpoint's health. @throws RegistryCallException with status 404 when the endpoint is gone */
  public void setHealth(String namespace, String service, String endpointId, Health health) {
    checkNames(namespace, service, endpointId);
    call("set health of " + namespace + "/" + service + "/" + endpointId + " to " + health, NO_LEASE,
        () -> api.setHealth(namespace, service, endpointId, health));
  }

  /** Removes an endpoint; one already gone is not an error. */
  public void deregister(String namespace, String service, String endpointId) {
    checkNames(namespace, service, endpointId);
    found(() -> call("deregister " + namespace + "/" + service + "/" + endpointId, NO_LEASE,
        () -> api.deleteEndpoint(namespace, service, endpointId)));
  }

  /**
   * Whether the registry has the endpoint. The server answers this GET from its in-memory registry
   * view, without an etcd call, which is what lets an agent ask it after every keepalive.
   */
  public boolean hasEndpoint(String namespace, String service, String endpointId) {
    checkNames(namespace, service, endpointId);
    return found(() -> call("get endpoint " + namespace + "/" + service + "/" + endpointId, NO_LEASE,
        () -> api.endpoint(namespace, service, endpointId)));
  }

  /** Runs a call about one resource: false when the registry answered 404, true when it answered at all. */
  private static boolean found(Runnable call) {
    try {
      call.run();
      return true;
    } catch (RegistryCallException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      return false;
    }
  }

  /** Every client alias's dnsName in the namespace, to its virtual IP: what the hosts file maps. */
  public Map<String, String> aliases(String namespace) {
    checkNames(namespace);
    JsonNode page = call("list services of " + namespace, NO_LEASE, () -> api.services(namespace));
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
    checkNames(namespace, service);
    JsonNode spec = call("get service " + namespace + "/" + service, NO_LEASE,
        () -> api.service(namespace, service, effective));
    try {
      return LENIENT.treeToValue(spec, ServiceSpec.class);
    } catch (IOException e) {
      throw new RegistryCallException(200, null, null, "service " + namespace + "/" + service
          + " is not a ServiceSpec: " + e.getMessage(), e);
    }
  }

  /** A leaf the mesh CA signed: its chain and the CA certificates, in PEM, and when the leaf expires. */
  public record SignedCertificate(String certificateChain, String trustBundle, java.time.Instant notAfter) {}

  /**
   * Has the mesh CA sign a key for the identity of service {@code name} of {@code namespace}
   * ({@code POST /v1/namespaces/{ns}/identities/{name}/certificate}, docs/security.md), or for the
   * namespace's anonymous client when {@code name} is null ({@code POST /v1/namespaces/{ns}/client-certificate}):
   * only the PKCS#10 request, which carries the public key, leaves the host.
   */
  public SignedCertificate signCertificate(String namespace, String name, String csrPem) {
    String path;
    if (name == null) {
      checkNames(namespace);
      path = "/v1/namespaces/" + namespace + "/client-certificate";
    } else {
      checkNames(namespace, name);
      path = "/v1/namespaces/" + namespace + "/identities/" + name + "/certificate";
    }
    byte[] body = Json.write(Map.of("csr", csrPem));
    JsonNode answer = call("get a certificate for " + namespace + "/" + name, NO_LEASE, () -> api.call("POST", path,
        body).json());
    try {
      return new SignedCertificate(answer.path("certificateChain").textValue(), answer.path("trustBundle").textValue(),
          java.time.Instant.parse(answer.path("notAfter").asText()));
    } catch (java.time.format.DateTimeParseException e) {
      throw new RegistryCallException(200, null, null, "the certificate answer for " + namespace + "/" + name
          + " has no notAfter: " + e.getMessage(), e);
    }
  }

  // ---- the agent's policy over the client ----

  /**
   * One call with retries. {@code leaseId} (or {@link #NO_LEASE}) is the lease the call is about: a 404
   * blaming it, or any 404 of a lease's own path, is {@link LeaseGoneException}.
   */
  private <T> T call(String what, long leaseId, Supplier<T> call) {
    RegistryUnavailableException last = null;
    for (int attempt = 1; attempt <= options.attempts(); attempt++) {
      if (attempt > 1) {
        backOff(attempt, what);
      }
      try {
        return call.get();
      } catch (ApiException e) {
        last = unavailable(e, what, attempt);
        if (last == null) {
          throw refused(e, what, leaseId);
        }
      }
    }
    throw last;
  }

  /** What is worth retrying (no answer, 502/503/504) as the exception to throw if it lasts; null otherwise. */
  private RegistryUnavailableException unavailable(ApiException e, String what, int attempt) {
    if (e.interrupted()) {
      throw new RegistryCallException(0, null, null, "interrupted while trying to " + what, e.getCause());
    }
    if (e.status() == 0) {
      return new RegistryUnavailableException(0, null, "could not " + what + ": registry at " + base
          + " unreachable after " + attempt + " attempt(s): " + e.getCause(), e.getCause());
    }
    int status = e.status();
    if (status == 502 || status == 503 || status == 504) {
      return new RegistryUnavailableException(status, e.code(), message(e, what) + " (after " + attempt + " attempt(s))", null);
    }
    return null;
  }

  private static RegistryCallException refused(ApiException e, String what, long leaseId) {
    boolean aboutTheLease = "leaseId".equals(e.field()) || (e.path() != null && e.path().startsWith("/v1/leases/"));
    if (e.status() == 404 && leaseId >= 0 && aboutTheLease) {
      return new LeaseGoneException(leaseId, e.code(), message(e, what));
    }
    return new RegistryCallException(e.status(), e.code(), e.field(), message(e, what), null);
  }

  private static String message(ApiException e, String what) {
    return "could not " + what + ": " + e.status() + (e.code() == null ? "" : " " + e.code()) + ": "
        + (e.apiMessage() == null ? e.response().text() : e.apiMessage());
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

  /**
   * Names go into the URL path: anything that is not a registry name is refused here, before any call,
   * rather than encoded into a request the registry would refuse anyway.
   */
  private static void checkNames(String... names) {
    for (String name : names) {
      if (name == null || !SEGMENT.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("not a valid registry name: '" + name + "'");
      }
    }
  }
}
