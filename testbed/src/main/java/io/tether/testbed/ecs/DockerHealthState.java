package io.tether.testbed.ecs;

import java.time.Duration;
import java.time.Instant;

/**
 * Docker's verdict on a container's probes (moby daemon/health.go handleProbeResult): {@code starting}
 * until a probe passes or {@code retries} probes in a row fail; a pass makes it healthy and clears the
 * streak; while still starting, failures within the start period do not count. Not thread-safe: one
 * container's probes run one after another.
 */
final class DockerHealthState {
  private final HealthCheck check;
  private final Instant containerStarted;
  private ContainerHealth.Status status = ContainerHealth.Status.UNKNOWN;
  private int failingStreak;

  DockerHealthState(HealthCheck check, Instant containerStarted) {
    this.check = check;
    this.containerStarted = containerStarted;
  }

  /** The status after the probe that started at {@code probeStart} exited {@code exitCode}. */
  ContainerHealth.Status record(int exitCode, Instant probeStart) {
    if (exitCode == 0) {
      failingStreak = 0;
      status = ContainerHealth.Status.HEALTHY;
      return status;
    }
    boolean inStartPeriod = status == ContainerHealth.Status.UNKNOWN
        && Duration.between(containerStarted, probeStart).compareTo(check.startPeriod()) < 0;
    if (!inStartPeriod) {
      failingStreak++;
      if (failingStreak >= check.retries()) {
        status = ContainerHealth.Status.UNHEALTHY;
      }
    }
    return status;
  }

  int failingStreak() {
    return failingStreak;
  }
}
