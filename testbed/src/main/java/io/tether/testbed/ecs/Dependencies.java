package io.tether.testbed.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ECS agent's container ordering (agent/engine/dependencygraph/graph.go), for a task's containers whose
 * desired status is RUNNING. A container may go past MANIFEST_PULLED (to PULLED, CREATED and RUNNING) only
 * once each of its {@code dependsOn} conditions holds:
 * <ul>
 *   <li>{@code START}: the dependency is RUNNING (or has run and stopped);</li>
 *   <li>{@code HEALTHY}: the dependency's health check reports HEALTHY;</li>
 *   <li>{@code COMPLETE}: it exited; {@code SUCCESS}: it exited 0; {@code CREATE}: it is CREATED or later.</li>
 * </ul>
 * A condition that can never hold ends the task: SUCCESS after a non-zero exit, a dependency stopped before it
 * ever ran, and COMPLETE/SUCCESS/HEALTHY not reached within the dependency's {@code startTimeout}. On the way
 * down the order is reversed: a container is stopped only once every container depending on it has stopped.
 * Callers hold the task's monitor.
 */
final class Dependencies {
  /** Whether a container may take its next step: yes, not yet, or never (with why). */
  record Verdict(boolean resolved, Optional<String> never) {
    static final Verdict YES = new Verdict(true, Optional.empty());
    static final Verdict WAIT = new Verdict(false, Optional.empty());

    static Verdict never(String why) {
      return new Verdict(false, Optional.of(why));
    }
  }

  private Dependencies() {}

  /** Why the task's dependencies can never all resolve (a cycle, HEALTHY on a container without a health check). */
  static Optional<String> invalid(TaskDefinition def) {
    for (ContainerDefinition c : def.containers()) {
      for (ContainerDefinition.DependsOn d : c.dependsOn()) {
        if (d.condition().equals("HEALTHY") && !def.container(d.containerName()).hasHealthCheck()) {
          return Optional.of("container " + c.name() + " depends on " + d.containerName()
              + " being HEALTHY, and " + d.containerName() + " has no healthCheck");
        }
      }
      if (reaches(def, c.name(), c.name(), new HashSet<>())) {
        return Optional.of("the dependsOn of container " + c.name() + " form a cycle");
      }
    }
    return Optional.empty();
  }

  private static boolean reaches(TaskDefinition def, String from, String target, Set<String> seen) {
    for (ContainerDefinition.DependsOn d : def.container(from).dependsOn()) {
      if (d.containerName().equals(target) || (seen.add(d.containerName()) && reaches(def, d.containerName(), target, seen))) {
        return true;
      }
    }
    return false;
  }

  /** May {@code target} take its next step towards RUNNING (past MANIFEST_PULLED)? */
  static Verdict mayProgress(EcsContainer target, EcsTask task, Instant now) {
    boolean waiting = false;
    for (ContainerDefinition.DependsOn d : target.def.dependsOn()) {
      EcsContainer dep = task.container(d.containerName());
      Optional<String> never = never(target, dep, d.condition(), now);
      if (never.isPresent()) {
        return Verdict.never("dependency " + dep.name() + " (" + d.condition() + ") of " + target.name() + ": " + never.get());
      }
      waiting |= !holds(dep, d.condition());
    }
    return waiting ? Verdict.WAIT : Verdict.YES;
  }

  private static Optional<String> never(EcsContainer target, EcsContainer dep, String condition, Instant now) {
    boolean stopped = dep.known == ContainerStatus.STOPPED;
    if (condition.equals("SUCCESS") && stopped && dep.exitCode != null && dep.exitCode != 0) {
      return Optional.of("it exited " + dep.exitCode);
    }
    if (dep.willNeverStart()) {
      return Optional.of("it will never start");
    }
    if (!target.created() && !stopped && timedOut(dep, condition, now)) {
      return Optional.of("not reached within its startTimeout of " + dep.def.startTimeout() + " s");
    }
    return Optional.empty();
  }

  private static boolean timedOut(EcsContainer dep, String condition, Instant now) {
    Integer timeout = dep.def.startTimeout();
    if (dep.startedAt == null || timeout == null || timeout <= 0 || condition.equals("START") || condition.equals("CREATE")) {
      return false;
    }
    return now.isAfter(dep.startedAt.plus(Duration.ofSeconds(timeout)));
  }

  private static boolean holds(EcsContainer dep, String condition) {
    return switch (condition) {
      case "START" -> dep.known == ContainerStatus.RUNNING || dep.known == ContainerStatus.STOPPED;
      case "CREATE" -> dep.known.ordinal() >= ContainerStatus.CREATED.ordinal();
      case "HEALTHY" -> dep.health != null && dep.health.status() == ContainerHealth.Status.HEALTHY;
      case "COMPLETE" -> dep.known == ContainerStatus.STOPPED && dep.exitCode != null;
      case "SUCCESS" -> dep.known == ContainerStatus.STOPPED && dep.exitCode != null && dep.exitCode == 0;
      default -> false;
    };
  }

  /** The containers that depend on {@code target} and have not stopped: they stop before it does. */
  static List<String> stopFirst(EcsContainer target, EcsTask task) {
    List<String> waiting = new ArrayList<>();
    for (EcsContainer other : task.containers) {
      boolean dependsOnTarget = other.def.dependsOn().stream().anyMatch(d -> d.containerName().equals(target.name()));
      if (dependsOnTarget && other.known != ContainerStatus.STOPPED) {
        waiting.add(other.name());
      }
    }
    return waiting;
  }

  /** When a not-yet-resolved startTimeout of {@code target}'s dependencies runs out, if any: a time to look again. */
  static Optional<Instant> nextTimeout(EcsContainer target, EcsTask task) {
    Instant next = null;
    for (ContainerDefinition.DependsOn d : target.def.dependsOn()) {
      EcsContainer dep = task.container(d.containerName());
      Integer timeout = dep.def.startTimeout();
      if (dep.startedAt != null && timeout != null && timeout > 0 && !holds(dep, d.condition())) {
        Instant at = dep.startedAt.plusSeconds(timeout);
        next = next == null || at.isBefore(next) ? at : next;
      }
    }
    return Optional.ofNullable(next);
  }
}
