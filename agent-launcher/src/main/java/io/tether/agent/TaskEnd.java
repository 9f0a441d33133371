package io.tether.agent;

import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.process.AppProcess;
import io.tether.agent.registry.Registration;
import io.tether.model.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a started task, in the README's order ("Running tasks with the agent"), one log line per
 * step so that an operator reading the log after "task ending" sees how far it got: after a signal the
 * endpoint goes DRAINING, Envoy drains for the drain time; then the app stops (its exit status), the
 * endpoint is deregistered and its lease revoked ({@link Registration#stop}, which logs both), Envoy quits.
 */
final class TaskEnd {
  private static final Logger log = LoggerFactory.getLogger(AgentTask.class);

  private final TaskSettings.Timings timings;

  TaskEnd(TaskSettings.Timings timings) {
    this.timings = timings;
  }

  /** Runs the steps; returns the agent's exit status: the app's, at least 1 when Envoy gave up. */
  int finish(AgentTask.Ending ending, Registration registration, EnvoySupervisor envoy, AppProcess app)
      throws InterruptedException {
    if (ending == AgentTask.Ending.SIGNAL) {
      drain(registration, envoy);
    }
    int status = app.stop(timings.stopGrace());
    log.info("app stopped with exit status {}", status);
    if (registration != null) {
      registration.stop();
    }
    if (envoy != null) {
      envoy.stop(timings.stopGrace());
      log.info("envoy stopped");
    }
    return ending == AgentTask.Ending.ENVOY_GAVE_UP ? Math.max(status, 1) : status;
  }

  private void drain(Registration registration, EnvoySupervisor envoy) throws InterruptedException {
    if (registration != null) {
      try {
        registration.setHealth(Health.DRAINING);
        if (registration.confirmedHealth() == Health.DRAINING) {
          log.info("endpoint DRAINING in the registry");
        }
      } catch (RuntimeException e) {
        log.warn("could not mark the endpoint DRAINING yet, sending it again at every keepalive: {}", e.getMessage());
      }
    }
    if (envoy != null) {
      envoy.drain();
      log.info("envoy draining its listeners for {} s", timings.drainTime().toSeconds());
    }
    // Callers (Envoys or proxyless clients) learn of DRAINING over xDS and open requests finish:
    // only then does the app stop.
    Thread.sleep(timings.drainTime().toMillis());
    log.info("{} over: stopping the app", envoy != null ? "envoy drained, drain time" : "drain time");
  }
}
