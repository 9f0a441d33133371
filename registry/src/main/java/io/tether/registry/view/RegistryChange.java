package io.tether.registry.view;

/**
 * What changed between two states, at the granularity consumers re-render at. "Changed" includes
 * created and removed: look the object up in the new state to tell which.
 */
public sealed interface RegistryChange {
  String namespace();

  record NamespaceChanged(String namespace) implements RegistryChange {}

  record ServiceChanged(String namespace, String service) implements RegistryChange {}

  record EndpointsChanged(String namespace, String service) implements RegistryChange {}

  /** An authorization rule put or deleted (its {@code to}: look it up in the states before and after). */
  record AuthorizationChanged(String namespace, String name) implements RegistryChange {}

  record VipsChanged(String namespace) implements RegistryChange {}
}
