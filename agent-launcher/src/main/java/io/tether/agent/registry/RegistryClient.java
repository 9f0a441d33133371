package io.tether.agent.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
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
 * <p>The HTTP is {@link TetherClient}'s; the retries and the mapping of its errors into the exceptions
 * above are {@link RetryingCalls}'; names are checked before any call ({@link RegistryNames}).
 *
 * <p>Thread-safe. Calls block the calling thread (up to about attempts × timeout plus back-off).
 */
public final class RegistryClient {
  /** The field a batch's refusal names when an entry's lease is to blame. */
  private static final Pattern BATCH_LEASE = Pattern.compile("endpoints\\[(\\d+)]\\.endpoint\\.leaseId");
  private static final long NO_LEASE = RetryingCalls.NO_LEASE;
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
  private final RetryingCalls calls;
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
    this.api = api;
    this.base = URI.create(api.base());
    this.calls = new RetryingCalls(base, options);
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
    io.tether.client.Lease lease = calls.call("grant a lease", NO_LEASE, () -> api.grantLease(namespace, ttlSeconds));
    return new Lease(lease.id(), lease.ttlSeconds());
  }

  /** Renews the lease once; returns its TTL after renewal. @throws LeaseGoneException when it has expired or been revoked */
  public long keepAlive(long leaseId) {
    return calls.call("keep lease " + leaseId + " alive", leaseId, () -> api.keepAlive(leaseId));
  }

  /** Revokes the lease, which removes every endpoint under it; a lease already gone is not an error. */
  public void revoke(long leaseId) {
    try {
      calls.call("revoke lease " + leaseId, leaseId, () -> {
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
    RegistryNames.check(namespace, service, endpointId);
    long leaseId = endpoint.leaseId() == null ? NO_LEASE : endpoint.leaseId();
    calls.call("register endpoint " + namespace + "/" + service + "/" + endpointId, leaseId,
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
    RegistryNames.check(namespace);
    List<Map<String, Object>> body = entries.stream().map(e -> {
      RegistryNames.check(e.service(), e.id());
      return Map.<String, Object>of("service", e.service(), "id", e.id(), "endpoint", e.endpoint());
    }).toList();
    try {
      calls.call("register " + entries.size() + " endpoints in " + namespace, NO_LEASE, () -> api.putEndpoints(namespace, body));
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
    RegistryNames.check(namespace, service, endpointId);
    calls.call("set health of " + namespace + "/" + service + "/" + endpointId + " to " + health, NO_LEASE,
        () -> api.setHealth(namespace, service, endpointId, health));
  }

  /** Removes an endpoint; one already gone is not an error. */
  public void deregister(String namespace, String service, String endpointId) {
    RegistryNames.check(namespace, service, endpointId);
    found(() -> calls.call("deregister " + namespace + "/" + service + "/" + endpointId, NO_LEASE,
        () -> api.deleteEndpoint(namespace, service, endpointId)));
  }

  /**
   * Whether the registry has the endpoint. The server answers this GET from its in-memory registry
   * view, without an etcd call, which is what lets an agent ask it after every keepalive.
   */
  public boolean hasEndpoint(String namespace, String service, String endpointId) {
    RegistryNames.check(namespace, service, endpointId);
    return found(() -> calls.call("get endpoint " + namespace + "/" + service + "/" + endpointId, NO_LEASE,
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
    RegistryNames.check(namespace);
    JsonNode page = calls.call("list services of " + namespace, NO_LEASE, () -> api.services(namespace));
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
    RegistryNames.check(namespace, service);
    JsonNode spec = calls.call("get service " + namespace + "/" + service, NO_LEASE,
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
      RegistryNames.check(namespace);
      path = "/v1/namespaces/" + namespace + "/client-certificate";
    } else {
      RegistryNames.check(namespace, name);
      path = "/v1/namespaces/" + namespace + "/identities/" + name + "/certificate";
    }
    byte[] body = Json.write(Map.of("csr", csrPem));
    JsonNode answer = calls.call("get a certificate for " + namespace + "/" + name, NO_LEASE, () -> api.call("POST", path,
        body).json());
    try {
      return new SignedCertificate(answer.path("certificateChain").textValue(), answer.path("trustBundle").textValue(),
          java.time.Instant.parse(answer.path("notAfter").asText()));
    } catch (java.time.format.DateTimeParseException e) {
      throw new RegistryCallException(200, null, null, "the certificate answer for " + namespace + "/" + name
          + " has no notAfter: " + e.getMessage(), e);
    }
  }
}
