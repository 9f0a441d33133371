package io.tether.testbed.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks of the container instance, in the order they came, with their engines; the lookups of the
 * agent's state (by ARN, by Docker ID or its 12-character short form, by metadata endpoint ID). A stopped task
 * stays until the task cleanup wait has passed after it stopped, as in the agent.
 */
final class Tasks {
  /** A container and its task. */
  record Found(EcsTask task, EcsContainer container) {}

  private final Map<String, EcsTask> tasks = new LinkedHashMap<>();
  private final Map<String, TaskEngine> engines = new LinkedHashMap<>();

  synchronized void add(EcsTask task, TaskEngine engine) {
    tasks.put(task.id, task);
    engines.put(task.id, engine);
  }

  synchronized List<EcsTask> all() {
    return List.copyOf(tasks.values());
  }

  synchronized Optional<EcsTask> byId(String id) {
    return Optional.ofNullable(tasks.get(id));
  }

  synchronized Optional<TaskEngine> engine(String id) {
    return Optional.ofNullable(engines.get(id));
  }

  Optional<EcsTask> byArn(String arn) {
    return all().stream().filter(t -> t.arn.equals(arn)).findFirst();
  }

  /** By full Docker ID, or, for 12 characters or fewer, by its prefix (all matches: more than one is an error). */
  List<EcsTask> byDockerId(String id) {
    List<EcsTask> out = new ArrayList<>();
    for (EcsTask t : all()) {
      synchronized (t) {
        boolean match = t.containers.stream().anyMatch(c -> c.dockerId != null
            && (id.length() > 12 ? c.dockerId.equals(id) : c.dockerId.startsWith(id)));
        if (match) {
          out.add(t);
        }
      }
    }
    return out;
  }

  Optional<Found> byEndpoint(String endpointId) {
    for (EcsTask t : all()) {
      for (EcsContainer c : t.containers) {
        if (c.endpointId.equals(endpointId)) {
          return Optional.of(new Found(t, c));
        }
      }
    }
    return Optional.empty();
  }

  /** Forgets the tasks stopped more than {@code wait} ago. */
  synchronized void sweep(Duration wait) {
    Instant horizon = Instant.now().minus(wait);
    tasks.values().removeIf(t -> {
      synchronized (t) {
        boolean old = t.executionStoppedAt != null && t.executionStoppedAt.isBefore(horizon);
        if (old) {
          engines.remove(t.id);
        }
        return old;
      }
    });
  }
}
