package io.tether.agent.ecs;

/**
 * The task's definition or its host contradicts the agent's settings (a container TETHER_SERVICES names
 * is not in the task, the host agent serves another namespace, …): nothing will fix it but a change of
 * configuration, so the agent stops at once with exit status 2 and a message that says what to change.
 */
public final class TaskConfigException extends RuntimeException {
  public TaskConfigException(String message) {
    super(message);
  }
}
