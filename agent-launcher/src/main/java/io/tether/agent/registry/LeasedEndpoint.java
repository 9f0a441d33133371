package io.tether.agent.registry;

import io.tether.model.Endpoint;
import io.tether.model.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry holds of one task's endpoint, as far as the agent knows (its lease, whether it is
 * registered, the health the registry last took), and the calls that change it. Which call to make
 * when is {@link Registration}'s business; this class only keeps its record true to the answers.
 * Not thread-safe: confined to its {@link Registration}'s lock.
 */
final class LeasedEndpoint {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);

  private final RegistryClient client;
  private final String namespace;
  private final String service;
  private final String id;
  private final Endpoint endpoint;
  private final long ttlSeconds;
  private RegistryClient.Lease lease;
  private boolean registered;
  private Health confirmed; // null: unknown, or not registered

  LeasedEndpoint(RegistryClient client, String namespace, String service, String id, Endpoint endpoint,
      long ttlSeconds) {
    this.client = client;
    this.namespace = namespace;
    this.service = service;
    this.id = id;
    this.endpoint = endpoint;
    this.ttlSeconds = ttlSeconds;
  }

  /** {@code namespace/service/id}, as the log lines name it. */
  String name() {
    return namespace + "/" + service + "/" + id;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  RegistryClient.Lease lease() {
    return lease;
  }

  boolean registered() {
    return registered && lease != null;
  }

  Health confirmed() {
    return confirmed;
  }

  /** Registers with {@code health} under the current lease, or a new one; a lease that vanishes in between is replaced once. */
  void register(Health health) {
    for (int attempt = 1; ; attempt++) {
      if (lease == null) {
        lease = client.grantLease(namespace, ttlSeconds);
      }
      try {
        client.registerEndpoint(namespace, service, id, new Endpoint(endpoint.address(), endpoint.port(),
            endpoint.zone(), health, endpoint.taskId(), endpoint.host(), endpoint.metadata(), lease.id(),
            endpoint.labels()));
        registered = true;
        confirmed = health;
        return;
      } catch (LeaseGoneException e) {
        lease = null;
        if (attempt == 2) {
          throw e;
        }
      }
    }
  }

  /** Renews the lease. @throws LeaseGoneException when it is gone, and with it the endpoint: both are forgotten */
  void keepAlive() {
    try {
      client.keepAlive(lease.id());
    } catch (LeaseGoneException e) {
      forget();
      lease = null;
      throw e;
    }
  }

  /** Sets the registered endpoint's health; false (and forgotten) when the registry no longer has it. */
  boolean setHealth(Health health) {
    try {
      client.setHealth(namespace, service, id, health);
      confirmed = health;
      return true;
    } catch (RegistryCallException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      forget();
      return false;
    }
  }

  /** Whether the registry still has the endpoint (one GET, answered from the server's memory); forgotten when not. */
  boolean stillThere() {
    if (client.hasEndpoint(namespace, service, id)) {
      return true;
    }
    forget();
    return false;
  }

  /** Deregisters and revokes the lease, logging what failed (the lease's expiry then cleans up); forgets both. */
  void release() {
    if (registered) {
      try {
        client.deregister(namespace, service, id);
        log.info("endpoint {} deregistered", name());
      } catch (RegistryCallException e) {
        log.warn("could not deregister {} ({}); it leaves when lease {} expires", name(), e.getMessage(),
            lease == null ? "-" : lease.id());
      }
    }
    if (lease != null) {
      try {
        client.revoke(lease.id());
        log.info("lease {} revoked", lease.id());
      } catch (RegistryCallException e) {
        log.warn("could not revoke lease {} ({}); it expires within {} s", lease.id(), e.getMessage(), ttlSeconds);
      }
    }
    forget();
    lease = null;
  }

  private void forget() {
    registered = false;
    confirmed = null;
  }
}
