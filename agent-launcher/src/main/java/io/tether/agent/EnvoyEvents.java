package io.tether.agent;

import io.tether.agent.envoy.EnvoySupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a task does as its Envoy goes down and comes back: the endpoint follows it, and giving up ends the task. */
record EnvoyEvents(EndpointHealth endpointHealth, Runnable gaveUp) implements EnvoySupervisor.Listener {
  private static final Logger log = LoggerFactory.getLogger(AgentTask.class);

  @Override
  public void onExited(int exitCode) {
    endpointHealth.envoyReady(false, "envoy exited with " + exitCode);
  }

  @Override
  public void onRestarted(int attempt, int exitCode) {
    log.warn("envoy restarted (attempt {}) after exiting with {}", attempt, exitCode);
  }

  @Override
  public void onReady() {
    endpointHealth.envoyReady(true, "restarted envoy ready");
  }

  @Override
  public void onGaveUp(int exitCode) {
    gaveUp.run();
  }
}
