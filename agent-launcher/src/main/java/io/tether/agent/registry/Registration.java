package io.tether.agent.registry;

import io.tether.model.Endpoint;
import io.tether.model.Health;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's endpoint in the registry, for as long as the task runs: registered under a lease of its
 * own, the lease kept alive every TTL/3, and the endpoint's health kept as the agent last set it.
 *
 * <p>A lease found gone (expired while the host was cut off, revoked, lost by etcd) or an endpoint found
 * missing is replaced: a new lease, the endpoint registered again as it was, with the current health.
 * A health the registry did not take is sent again at every keepalive until it does (the wanted and
 * the confirmed health are kept apart), so a DRAINING that failed once is not lost. An unreachable
 * registry expires the lease only if it lasts longer than the TTL, which is the point of a lease.
 *
 * <p>{@link #stop()} deregisters and revokes; DRAINING first is the caller's job. DRAINING is final: a
 * health set after it (a check still under way) is ignored. Thread-safe: registry calls are made one
 * at a time, so a health update and a re-registration never race.
 */
public final class Registration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  private final RegistryClient client;
  private final String namespace;
  private final String service;
  private final String endpointId;
  private final Endpoint endpoint;
  private final long ttlSeconds;
  private final ScheduledExecutorService executor;
  private final Object lock = new Object();

  // All guarded by lock.
  private Health health; // the one the agent wants
  private Health confirmed; // the one the registry last took (null: unknown, not registered)
  private RegistryClient.Lease lease;
  private boolean registered;
  private boolean started;
  private boolean stopped;
  private int reRegistrations;

  /** {@code endpoint}'s leaseId is ignored; {@code ttl}: 2-3600 s, how long it outlives a dead agent. */
  public Registration(RegistryClient client, String namespace, String service, String endpointId, Endpoint endpoint,
      Duration ttl) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.service = Objects.requireNonNull(service, "service");
    this.endpointId = Objects.requireNonNull(endpointId, "endpointId");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.ttlSeconds = ttl.toSeconds();
    if (ttlSeconds < 2 || ttlSeconds > 3600) {
      throw new IllegalArgumentException("lease TTL must be between 2 and 3600 seconds, was " + ttl);
    }
    this.health = endpoint.healthOrDefault();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tether-lease-" + service + "-" + endpointId);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Grants the lease and registers the endpoint, then keeps the lease alive in the background.
   *
   * @throws RegistryCallException when the first registration fails (no lease is left behind)
   */
  public Registration start() {
    synchronized (lock) {
      if (started || stopped) {
        throw new IllegalStateException(stopped ? "stopped" : "already started");
      }
      started = true;
      try {
        register();
      } catch (RuntimeException e) {
        releaseQuietly();
        lease = null;
        registered = false;
        stopped = true;
        executor.shutdownNow();
        throw e;
      }
      // The granted TTL may exceed the one asked for; the one asked for is the tighter bound.
      long periodMillis = Math.max(500, Math.min(ttlSeconds, lease.ttlSeconds()) * 1000 / 3);
      executor.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
      log.info("registered {}/{}/{} at {}:{} under lease {} (TTL {} s)", namespace, service, endpointId,
          endpoint.address(), endpoint.port(), lease.id(), lease.ttlSeconds());
      return this;
    }
  }

  /**
   * Sets the endpoint's health in the registry, registering it again first if it was found gone.
   * The health is kept even when the call fails, and sent again at every keepalive (or applied by the
   * next re-registration) until the registry has taken it. Once the
   * health is DRAINING, any other is ignored: checked and set under the lock, so no late update can
   * slip in between.
   *
   * @return false when ignored because the endpoint is draining
   * @throws RegistryCallException when the registry did not take it
   */
  public boolean setHealth(Health newHealth) {
    Objects.requireNonNull(newHealth, "health");
    synchronized (lock) {
      if (!started || stopped) {
        throw new IllegalStateException("not registered: " + (stopped ? "stopped" : "not started"));
      }
      if (health == Health.DRAINING && newHealth != Health.DRAINING) {
        return false;
      }
      health = newHealth;
      if (!registered) {
        register();
        return true;
      }
      try {
        client.setHealth(namespace, service, endpointId, newHealth);
        confirmed = newHealth;
      } catch (RegistryCallException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        // Deleted behind our back, or its lease went with it: register again, with this health.
        log.warn("endpoint {}/{}/{} is gone; registering it again", namespace, service, endpointId);
        registered = false;
        reRegistrations++;
        register();
      }
      return true;
    }
  }

  /** The health as the registry last confirmed it, or null when it has none of this registration's. */
  public Health confirmedHealth() {
    synchronized (lock) {
      return confirmed;
    }
  }

  /** The health as the agent last set it. */
  public Health health() {
    synchronized (lock) {
      return health;
    }
  }

  /** The lease the endpoint is registered under now, or 0 when there is none. */
  public long leaseId() {
    synchronized (lock) {
      return lease == null ? 0 : lease.id();
    }
  }

  /** How many times the endpoint had to be registered again after its lease or itself went missing. */
  public int reRegistrations() {
    synchronized (lock) {
      return reRegistrations;
    }
  }

  /**
   * Stops the keepalives, deregisters the endpoint and revokes the lease. Never throws: when the registry
   * cannot be reached the endpoint still leaves it, when the lease expires. Idempotent.
   */
  public void stop() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    executor.shutdown(); // a keepalive under way finishes; stopped keeps later ones from running
    synchronized (lock) {
      releaseQuietly();
      registered = false;
      confirmed = null;
      lease = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void tick() {
    try {
      keepAliveOrRegister();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: the lease would silently lapse.
      log.error("keeping {}/{}/{} registered failed unexpectedly", namespace, service, endpointId, e);
    }
  }

  private void keepAliveOrRegister() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (lease == null || !registered) {
        tryRegister(); // a previous attempt to register again failed: try again now
        return;
      }
      try {
        client.keepAlive(lease.id());
      } catch (LeaseGoneException e) {
        log.warn("lease {} of {}/{}/{} is gone ({}); registering again under a new lease", e.leaseId(),
            namespace, service, endpointId, e.getMessage());
        lease = null;
        registered = false;
        reRegistrations++;
        tryRegister();
      } catch (RegistryCallException e) {
        log.warn("keeping {}/{}/{} registered failed, will retry at the next keepalive: {}", namespace, service, endpointId,
            e.getMessage());
        return;
      }
      if (health != confirmed) {
        resendHealth();
      }
    }
  }

  /** The health the agent wants, which the registry did not take when it was set: sent again. */
  private void resendHealth() {
    Health wanted = health;
    try {
      client.setHealth(namespace, service, endpointId, wanted);
      confirmed = wanted;
      log.info("{}/{}/{} is now {} in the registry (sent again)", namespace, service, endpointId, wanted);
    } catch (RegistryCallException e) {
      if (e.isNotFound()) {
        log.warn("endpoint {}/{}/{} is gone; registering it again", namespace, service, endpointId);
        registered = false;
        reRegistrations++;
        tryRegister();
        return;
      }
      log.warn("setting {}/{}/{} {} failed again, will retry at the next keepalive: {}", namespace, service,
          endpointId, wanted, e.getMessage());
    }
  }

  private void tryRegister() {
    try {
      register();
      log.info("registered {}/{}/{} again under lease {}", namespace, service, endpointId, lease.id());
    } catch (RegistryCallException e) {
      log.warn("registering {}/{}/{} again failed, will retry: {}", namespace, service, endpointId, e.getMessage());
    }
  }

  /** Registers under the current lease, or a new one; a lease that vanishes in between is replaced once. */
  private void register() {
    for (int attempt = 1; ; attempt++) {
      if (lease == null) {
        lease = client.grantLease(namespace, ttlSeconds);
      }
      try {
        client.registerEndpoint(namespace, service, endpointId, new Endpoint(endpoint.address(), endpoint.port(),
            endpoint.zone(), health, endpoint.taskId(), endpoint.host(), endpoint.metadata(), lease.id()));
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

  private void releaseQuietly() {
    if (registered) {
      try {
        client.deregister(namespace, service, endpointId);
      } catch (RegistryCallException e) {
        log.warn("could not deregister {}/{}/{} ({}); it leaves when lease {} expires", namespace, service,
            endpointId, e.getMessage(), lease == null ? "-" : lease.id());
      }
    }
    if (lease != null) {
      try {
        client.revoke(lease.id());
      } catch (RegistryCallException e) {
        log.warn("could not revoke lease {} ({}); it expires within {} s", lease.id(), e.getMessage(), ttlSeconds);
      }
    }
  }
}
