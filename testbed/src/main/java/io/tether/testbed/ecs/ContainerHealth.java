package io.tether.testbed.ecs;

import java.time.Instant;

/**
 * A container's health as the ECS agent reports it: Docker's {@code starting} is UNKNOWN. {@code since} is
 * when the status last changed and is absent until the first change, as the agent sets it
 * (agent/api/container/container.go SetHealthStatus); {@code exitCode} is the failing probe's.
 */
record ContainerHealth(Status status, Instant since, String output, int exitCode) {
  enum Status { UNKNOWN, HEALTHY, UNHEALTHY }

  static final ContainerHealth INITIAL = new ContainerHealth(Status.UNKNOWN, null, "", 0);

  /** The health after a probe's verdict: unchanged if the status is (the agent keeps the first output). */
  ContainerHealth next(Status verdict, String probeOutput, int probeExitCode, Instant now) {
    if (verdict == status) {
      return this;
    }
    return new ContainerHealth(verdict, now, probeOutput, verdict == Status.UNHEALTHY ? probeExitCode : exitCode);
  }
}
