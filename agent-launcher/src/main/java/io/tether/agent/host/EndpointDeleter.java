package io.tether.agent.host;

/**
 * Deletes an endpoint through the control plane, as the host (with its token). One already gone is
 * not an error. Thread-safe; blocks the caller until the control plane answered.
 */
@FunctionalInterface
interface EndpointDeleter {
  /** @throws RuntimeException when the control plane could not be reached or refused */
  void delete(HostPorts.Key endpoint);
}
