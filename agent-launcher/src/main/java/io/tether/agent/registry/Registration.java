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
 * missing (an operator's {@code tether ep delete}) is replaced: a new lease if need be, the endpoint
 * registered again as it was, with the current health. Each keepalive that succeeds is followed by one
 * GET of the endpoint, which the server answers from its in-memory view (no etcd call), so a deleted
 * endpoint is back within one keepalive period; when a health is to be sent again anyway, that call
 * finds it gone instead. A health the registry did not take is sent again at every keepalive until it
 * does (the wanted and the confirmed health are kept apart), so a DRAINING that failed once is not
 * lost. An unreachable registry expires the lease only if it lasts longer than the TTL, which is the
 * point of a lease.
 *
 * <p>DRAINING means the task is stopping: it is final (a health set after it, a check still under way,
 * is ignored) and an endpoint found gone while draining is never registered again, nor after
 * {@link #stop()}, which deregisters and revokes; DRAINING first is the caller's job. Thread-safe:
 * registry calls are made one at a time, so a health update and a re-registration never race.
 */
public final class Registration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  private final LeasedEndpoint endpoint;
  private final long ttlSeconds;
  private final ScheduledExecutorService executor;
  private final Object lock = new Object();

  // All guarded by lock, as is endpoint.
  private Health health; // the one the agent wants
  private boolean started;
  private boolean stopped;
  private int reRegistrations;

  /** {@code endpoint}'s leaseId is ignored; {@code ttl}: 2-3600 s, how long it outlives a dead agent. */
  public Registration(RegistryClient client, String namespace, String service, String endpointId, Endpoint endpoint,
      Duration ttl) {
    this.ttlSeconds = ttl.toSeconds();
    if (ttlSeconds < 2 || ttlSeconds > 3600) {
      throw new IllegalArgumentException("lease TTL must be between 2 and 3600 seconds, was " + ttl);
    }
    this.endpoint = new LeasedEndpoint(Objects.requireNonNull(client, "client"),
        Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(service, "service"),
        Objects.requireNonNull(endpointId, "endpointId"), Objects.requireNonNull(endpoint, "endpoint"), ttlSeconds);
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
        endpoint.register(health);
      } catch (RuntimeException e) {
        endpoint.release();
        stopped = true;
        executor.shutdownNow();
        throw e;
      }
      RegistryClient.Lease lease = endpoint.lease();
      // The granted TTL may exceed the one asked for; the one asked for is the tighter bound.
      long periodMillis = Math.max(500, Math.min(ttlSeconds, lease.ttlSeconds()) * 1000 / 3);
      executor.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
      log.info("registered {} at {}:{} under lease {} (TTL {} s)", endpoint.name(), endpoint.endpoint().address(),
          endpoint.endpoint().port(), lease.id(), lease.ttlSeconds());
      return this;
    }
  }

  /**
   * Sets the endpoint's health in the registry, registering it again first if it was found gone (unless
   * the health is DRAINING: a stopping task is not registered again). The health is kept even when the
   * call fails, and sent again at every keepalive (or applied by the next re-registration) until the
   * registry has taken it. Once the health is DRAINING, any other is ignored: checked and set under the
   * lock, so no late update can slip in between.
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
      if (!endpoint.registered()) {
        if (health != Health.DRAINING) {
          endpoint.register(health);
        }
      } else if (!endpoint.setHealth(newHealth)) {
        foundGone("its health could not be set: 404", true);
      }
      return true;
    }
  }

  /** The health as the registry last confirmed it, or null when it has none of this registration's. */
  public Health confirmedHealth() {
    synchronized (lock) {
      return endpoint.confirmed();
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
      return endpoint.lease() == null ? 0 : endpoint.lease().id();
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
      endpoint.release();
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
      log.error("keeping {} registered failed unexpectedly", endpoint.name(), e);
    }
  }

  private void keepAliveOrRegister() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (!endpoint.registered()) {
        if (health != Health.DRAINING) {
          registerAgain(false); // a previous attempt to register again failed: try again now
        }
        return;
      }
      try {
        endpoint.keepAlive();
        if (health != endpoint.confirmed()) {
          resendHealth(); // finds the endpoint gone as well as the GET would
        } else if (!endpoint.stillThere()) {
          foundGone("deleted from the registry", false);
        }
      } catch (LeaseGoneException e) {
        foundGone("lease " + e.leaseId() + " is gone: " + e.getMessage(), false);
      } catch (RegistryCallException e) {
        log.warn("keeping {} registered failed, will retry at the next keepalive: {}", endpoint.name(), e.getMessage());
      }
    }
  }

  /** The health the agent wants, which the registry did not take when it was set: sent again. */
  private void resendHealth() {
    Health wanted = health;
    try {
      if (endpoint.setHealth(wanted)) {
        log.info("{} is now {} in the registry (sent again)", endpoint.name(), wanted);
      } else {
        foundGone("deleted from the registry", false);
      }
    } catch (RegistryCallException e) {
      log.warn("setting {} {} failed again, will retry at the next keepalive: {}", endpoint.name(), wanted,
          e.getMessage());
    }
  }

  /**
   * The endpoint (or its lease) is no longer in the registry: registered again with the current health,
   * unless the task is stopping.
   */
  private void foundGone(String why, boolean strict) {
    if (health == Health.DRAINING) {
      log.info("endpoint {} is gone ({}) while the task stops: not registering it again", endpoint.name(), why);
      return;
    }
    log.warn("endpoint {} is gone ({}); registering it again, {}", endpoint.name(), why, health);
    reRegistrations++;
    registerAgain(strict);
  }

  /** {@code strict}: a failure is thrown to the caller rather than retried at the next keepalive. */
  private void registerAgain(boolean strict) {
    try {
      endpoint.register(health);
      log.info("registered {} again under lease {}", endpoint.name(), endpoint.lease().id());
    } catch (RegistryCallException e) {
      if (strict) {
        throw e;
      }
      log.warn("registering {} again failed, will retry: {}", endpoint.name(), e.getMessage());
    }
  }
}
