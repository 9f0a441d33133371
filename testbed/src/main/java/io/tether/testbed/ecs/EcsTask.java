package io.tether.testbed.ecs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A task on the emulated container instance: its definition, its containers and the statuses the ECS agent
 * reports. Its monitor guards the task's and its containers' mutable state; every change notifies, which is
 * what the task's {@link TaskEngine} waits for.
 */
final class EcsTask {
  final String id;
  final String arn;
  final TaskDefinition def;
  final List<EcsContainer> containers;
  final Instant createdAt = Instant.now();

  TaskStatus known = TaskStatus.NONE;
  boolean desiredStopped;
  String stoppedReason;
  String stopCode;
  Instant pullStartedAt;
  Instant pullStoppedAt;
  Instant executionStoppedAt;

  EcsTask(String id, String arn, TaskDefinition def, Ids ids) {
    this.id = id;
    this.arn = arn;
    this.def = def;
    List<EcsContainer> list = new ArrayList<>();
    for (ContainerDefinition c : def.containers()) {
      list.add(new EcsContainer(c, ids.containerArn(id), def.family(), def.revision()));
    }
    this.containers = List.copyOf(list);
  }

  String desiredStatus() {
    return desiredStopped ? "STOPPED" : "RUNNING";
  }

  EcsContainer container(String name) {
    return containers.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * ECS decides to stop the task: DesiredStatus STOPPED at once, for the task and every container; the first
   * reason given is the one kept, as ECS keeps the first stoppedReason.
   */
  synchronized void stop(String code, String reason) {
    if (!desiredStopped) {
      desiredStopped = true;
      stopCode = code;
      stoppedReason = reason;
    }
    containers.forEach(c -> c.desiredStopped = true);
    notifyAll();
  }

  /** The earliest container status, as a task status; the task's never goes back (updateTaskKnownStatus). */
  synchronized void updateKnown() {
    TaskStatus earliest = TaskStatus.STOPPED;
    for (EcsContainer c : containers) {
      TaskStatus mapped = c.known.task();
      if (mapped.ordinal() < earliest.ordinal()) {
        earliest = mapped;
      }
    }
    if (earliest.ordinal() > known.ordinal()) {
      known = earliest;
      if (known == TaskStatus.STOPPED) {
        executionStoppedAt = Instant.now();
      }
    }
  }

  synchronized boolean allStopped() {
    return containers.stream().allMatch(c -> c.known == ContainerStatus.STOPPED);
  }

  synchronized EcsContainer byDockerId(String dockerId) {
    return containers.stream().filter(c -> dockerId.equals(c.dockerId)).findFirst().orElse(null);
  }
}
