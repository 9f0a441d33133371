package io.tether.agent.ecs;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the task's metadata poll after poll, riding out outages. While the endpoint does not answer the
 * last state stands, and nothing is deregistered for it: the ECS agent serves the endpoint, and an ECS
 * agent that restarts (an update, a crash) leaves the task running. It warns when the outage starts,
 * then every {@value #WARN_EVERY_SECONDS} s, and says when it is over. Used by one thread.
 */
final class MetadataWatch {
  private static final Logger log = LoggerFactory.getLogger(EcsTaskAgent.class);
  private static final long WARN_EVERY_SECONDS = 30;

  private final TaskMetadata metadata;
  private long unreachableSince;
  private long lastWarning;

  MetadataWatch(TaskMetadata metadata) {
    this.metadata = metadata;
  }

  /** The task now, or empty when the endpoint did not answer (said in the log). */
  Optional<Metadata.Task> read() throws InterruptedException {
    try {
      Metadata.Task task = metadata.task();
      if (unreachableSince != 0) {
        log.info("task metadata answers again, after {} s", seconds(System.nanoTime() - unreachableSince));
        unreachableSince = 0;
      }
      return Optional.of(task);
    } catch (IOException e) {
      long now = System.nanoTime();
      if (unreachableSince == 0) {
        unreachableSince = now;
        lastWarning = now;
        log.warn("task metadata at {} does not answer ({}): keeping the last state, deregistering nothing (the ECS "
            + "agent may be restarting)", metadata.base(), e.getMessage());
      } else if (now - lastWarning >= Duration.ofSeconds(WARN_EVERY_SECONDS).toNanos()) {
        lastWarning = now;
        log.warn("task metadata still does not answer, for {} s now ({}): keeping the last state",
            seconds(now - unreachableSince), e.getMessage());
      }
      return Optional.empty();
    }
  }

  private static long seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds();
  }
}
