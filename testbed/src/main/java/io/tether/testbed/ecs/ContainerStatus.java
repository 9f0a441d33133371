package io.tether.testbed.ecs;

/**
 * A container's known status as the ECS agent tracks it (ecs-agent/api/container/status/containerstatus.go),
 * in its order: each container moves forward only. Docker creates a container at CREATED and starts it at
 * RUNNING; the pulls are instant here, the image being a local command.
 */
enum ContainerStatus {
  NONE, MANIFEST_PULLED, PULLED, CREATED, RUNNING, STOPPED;

  /** What the introspection API and the ECS backend see: PENDING until RUNNING (BackendStatusString). */
  String backend() {
    return this == RUNNING ? "RUNNING" : this == STOPPED ? "STOPPED" : "PENDING";
  }

  /** The task status this container status maps to (MapContainerToTaskStatus, steady state RUNNING). */
  TaskStatus task() {
    return switch (this) {
      case NONE -> TaskStatus.NONE;
      case MANIFEST_PULLED, PULLED -> TaskStatus.MANIFEST_PULLED;
      case CREATED -> TaskStatus.CREATED;
      case RUNNING -> TaskStatus.RUNNING;
      case STOPPED -> TaskStatus.STOPPED;
    };
  }
}
