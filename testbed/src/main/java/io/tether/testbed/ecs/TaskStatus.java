package io.tether.testbed.ecs;

/**
 * A task's known status as the ECS agent tracks it (ecs-agent/api/task/status/taskstatus.go): the earliest of
 * its containers' statuses, never going back. The task metadata endpoint prints the name; the introspection
 * API prints {@link #backend}.
 */
enum TaskStatus {
  NONE, MANIFEST_PULLED, CREATED, RUNNING, STOPPED;

  /** BackendStatus: PENDING until RUNNING. */
  String backend() {
    return this == RUNNING ? "RUNNING" : this == STOPPED ? "STOPPED" : "PENDING";
  }
}
