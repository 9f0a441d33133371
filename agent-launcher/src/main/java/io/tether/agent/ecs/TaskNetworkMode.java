package io.tether.agent.ecs;

import java.util.Locale;

/** The task definition's {@code networkMode}, as the metadata shows it on the agent's own container. */
public enum TaskNetworkMode {
  /** Each container in a network namespace of its own on the docker bridge; Docker maps host ports. */
  BRIDGE,
  /** Every container in the host's network namespace. */
  HOST,
  /** The task in a network namespace of its own with an ENI: an address of its own in the VPC. */
  AWSVPC;

  /** @throws TaskConfigException for a mode the task agent does not run in (none, a user-defined network) */
  public static TaskNetworkMode of(Metadata.Container own) {
    String mode = own.networkMode().orElseThrow(() -> new TaskConfigException("the task metadata gives this "
        + "container (" + own.name() + ") no network: cannot tell its network mode"));
    return switch (mode) {
      case "bridge" -> BRIDGE;
      case "host" -> HOST;
      case "awsvpc" -> AWSVPC;
      default -> throw new TaskConfigException("network mode '" + mode + "' of container " + own.name()
          + " is not supported: use networkMode bridge, host or awsvpc");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
