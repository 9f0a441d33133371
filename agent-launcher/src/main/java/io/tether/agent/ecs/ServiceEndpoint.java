package io.tether.agent.ecs;

import io.tether.agent.EndpointHealth;
import io.tether.agent.health.AppHealthCheck;
import io.tether.agent.health.HealthMonitor;
import io.tether.agent.registry.Registration;
import io.tether.agent.registry.RegistryCallException;
import io.tether.agent.registry.RegistryUnavailableException;
import io.tether.model.Health;
import io.tether.model.HealthCheck;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's endpoint over the task's life: its app's health followed (the app container's ECS
 * health check, else the service's Tether healthCheck), registered once healthy, DRAINING once the task
 * is stopping, deregistered when its app container stops or the agent is told to go. Its health in the
 * registry is {@link EndpointHealth}'s rule: the app healthy and Envoy ready.
 *
 * <p>Confined to the task's thread, but for {@link #envoyReady} (the Envoy supervisor's), which only
 * passes the news to the thread-safe {@link EndpointHealth}.
 */
final class ServiceEndpoint {
  private static final Logger log = LoggerFactory.getLogger(EcsTaskAgent.class);

  private final ServicePlan plan;
  private final EndpointFacts facts;
  private final EndpointHealth health = new EndpointHealth();
  private HealthMonitor monitor;
  private boolean followsContainerHealth;
  private Boolean appHealthy;
  private Registration registration;
  private boolean stopping;
  private boolean gone;

  ServiceEndpoint(ServicePlan plan, EndpointFacts facts) {
    this.plan = plan;
    this.facts = facts;
  }

  String name() {
    return plan.service().discoveryName();
  }

  /** The app's container. */
  String container() {
    return plan.service().container();
  }

  /** Where callers reach it: ADDRESS:PORT. */
  String target() {
    return facts.address() + ":" + plan.registeredPort();
  }

  void envoyReady(boolean ready, String why) {
    health.envoyReady(ready, name() + ": " + why);
  }

  /**
   * Starts following the app's health: the container's own health check when its definition has one
   * (ECS then reports {@code Health}), else the service's Tether healthCheck against the app, whose
   * verdicts {@code taskThread} runs.
   */
  void follow(Metadata.Container app, Executor taskThread) {
    if (app.health() != null) {
      followsContainerHealth = true;
      log.info("{}: following the health check of container {} (ECS Health.status)", name(), app.name());
      return;
    }
    AppHealthCheck check = tetherCheck();
    log.info("{}: container {} has no health check; following the service's healthCheck {}", name(), app.name(),
        check.describe(plan.appHost()));
    monitor = new HealthMonitor(check, plan.appHost(), (from, to, reason) -> taskThread.execute(() -> {
      if (to != HealthMonitor.Status.UNKNOWN) {
        appHealth(to == HealthMonitor.Status.HEALTHY, "health check " + to + " (" + reason + ")");
      }
    })).start();
  }

  private AppHealthCheck tetherCheck() {
    HealthCheck policy;
    try {
      policy = facts.registry().service(facts.namespace(), name(), true).policy().healthCheck();
    } catch (RegistryCallException e) {
      if (e.isNotFound()) {
        throw new TaskConfigException("service " + facts.namespace() + "/" + name() + " is not in the registry: "
            + "create it before the task starts (" + e.getMessage() + ")");
      }
      throw e;
    }
    int port = plan.service().appPort();
    return policy == null ? AppHealthCheck.parse("none", port) : AppHealthCheck.fromPolicy(policy, port);
  }

  /** What the task's metadata now says of the app's container: stopped, or (followed) its health. */
  void observe(Metadata.Container app) {
    if (gone) {
      return;
    }
    if (app.stopped()) {
      deregister("app container " + app.name() + " STOPPED"
          + (app.exitCode() == null ? "" : " with exit code " + app.exitCode()));
      return;
    }
    if (followsContainerHealth && app.health() != null) {
      app.health().verdict().filter(v -> !v.equals(appHealthy)).ifPresent(healthy -> appHealth(healthy,
          "container health " + app.health().status() + (app.health().output() == null ? ""
              : " (" + app.health().output().strip() + ")")));
    }
    if (Boolean.TRUE.equals(appHealthy)) {
      registerIfDue(); // a registration the registry could not take before
    }
  }

  private void appHealth(boolean healthy, String why) {
    appHealthy = healthy;
    health.appHealthy(healthy, name() + ": " + why);
    if (healthy) {
      registerIfDue();
    }
  }

  private void registerIfDue() {
    if (registration != null || stopping || gone) {
      return;
    }
    try {
      registration = health.register(h -> new Registration(facts.registry(), facts.namespace(), name(),
          facts.taskId(), facts.endpoint(plan.registeredPort(), h), facts.leaseTtl()).start());
    } catch (RegistryUnavailableException e) {
      log.warn("{}: could not register yet, trying again at the next metadata poll: {}", name(), e.getMessage());
      return;
    }
    log.info("{}: registered at {} as {} of {}/{} ({})", name(), target(), facts.taskId(), facts.namespace(), name(),
        registration.health());
  }

  /** The task is stopping (its desired status is STOPPED): DRAINING now, never registered after. */
  void drain() {
    stopping = true;
    if (registration == null || gone) {
      return;
    }
    try {
      registration.setHealth(Health.DRAINING);
      log.info("{}: endpoint {} DRAINING because desired status STOPPED", name(), target());
    } catch (RuntimeException e) {
      log.warn("{}: could not mark endpoint {} DRAINING yet, sending it again at every keepalive until the "
          + "registry takes it: {}", name(), target(), e.getMessage());
    }
  }

  /** Deregisters (and revokes the lease), stops the health check; once only. */
  void deregister(String why) {
    if (gone) {
      return;
    }
    gone = true;
    if (monitor != null) {
      monitor.close();
    }
    health.close(); // first: no health pushed after the endpoint is gone
    if (registration != null) {
      registration.stop();
      log.info("{}: deregistered {} ({})", name(), target(), why);
    } else {
      log.info("{}: never registered, nothing to deregister ({})", name(), why);
    }
  }
}
