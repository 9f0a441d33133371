package io.tether.agent;

import io.tether.agent.registry.Registration;
import io.tether.model.Health;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for a task's endpoint health: HEALTHY exactly while the task's Envoy is ready and the app
 * is healthy, else UNHEALTHY (a proxyless task has no Envoy: only the app counts). A dead Envoy means
 * callers' sidecars would send to a closed ingress port, however healthy the app is. DRAINING is not
 * decided here: once the task drains, {@link Registration} ignores every later health.
 *
 * <p>Changes reach the registry on a thread of their own, so that neither the Envoy supervisor (about
 * to restart Envoy) nor the health monitor waits for a slow registry; each push sends the state of that
 * moment, so the last push always leaves the registry with the latest state. Thread-safe.
 */
public final class EndpointHealth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointHealth.class);

  private final ExecutorService pusher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tether-endpoint-health");
    t.setDaemon(true);
    return t;
  });
  // Guarded by this. Envoy is ready when the task starts its app, and a proxyless task has none.
  private boolean envoyReady = true;
  private boolean appHealthy;
  private Registration registration;

  public synchronized void envoyReady(boolean ready, String why) {
    envoyReady = ready;
    push(why);
  }

  public synchronized void appHealthy(boolean healthy, String why) {
    appHealthy = healthy;
    push(why);
  }

  /** Registers the endpoint with the health of this moment (the app is healthy, Envoy may not be), then follows it. */
  public synchronized Registration register(Function<Health, Registration> registering) {
    registration = registering.apply(current());
    return registration;
  }

  private Health current() {
    return envoyReady && appHealthy ? Health.HEALTHY : Health.UNHEALTHY;
  }

  private void push(String why) {
    if (registration == null) {
      return; // before registration the endpoint does not exist yet; register() takes the state as it is then
    }
    Registration target = registration;
    pusher.execute(() -> pushNow(target, why));
  }

  private void pushNow(Registration target, String why) {
    Health health;
    synchronized (this) {
      health = current();
    }
    try {
      if (target.setHealth(health)) {
        log.info("{}: endpoint now {}", why, target.health());
      } else {
        log.info("{}: endpoint stays DRAINING", why);
      }
    } catch (RuntimeException e) {
      log.warn("could not set the endpoint {} ({}): {}", health, why, e.getMessage());
    }
  }

  @Override
  public void close() {
    pusher.shutdownNow();
  }
}
