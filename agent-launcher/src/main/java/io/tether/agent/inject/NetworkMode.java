package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;

/** The task's {@code networkMode}, as far as the sidecar cares: who shares whose network namespace. */
enum NetworkMode {
  /** The task's containers share one network namespace (the task's ENI) and its loopback. */
  AWSVPC("awsvpc", true),
  /** Every container has its own network namespace on Docker's bridge, and reaches the host at its gateway. */
  BRIDGE("bridge", false),
  /** Every container is in the host's network namespace. */
  HOST("host", true);

  final String wire;
  /** True when Envoy and the apps share a loopback: each reaches the other on 127.0.0.1. */
  final boolean sharedLoopback;

  NetworkMode(String wire, boolean sharedLoopback) {
    this.wire = wire;
    this.sharedLoopback = sharedLoopback;
  }

  /** An absent networkMode is ECS's default on Linux instances, bridge. */
  static NetworkMode of(JsonNode networkMode) {
    if (networkMode == null || networkMode.isNull()) {
      return BRIDGE;
    }
    String value = networkMode.asText();
    for (NetworkMode mode : values()) {
      if (mode.wire.equals(value)) {
        return mode;
      }
    }
    if (value.equals("none")) {
      throw new InjectException("networkMode is 'none': the task has no network for a sidecar to serve or call "
          + "through; use awsvpc, bridge or host");
    }
    throw new InjectException("networkMode '" + networkMode.asText() + "' is not supported by the sidecar: "
        + "use awsvpc, bridge or host");
  }
}
