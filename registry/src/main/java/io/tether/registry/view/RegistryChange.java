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

  /**
   * An authorization rule put or deleted; {@code services} are the callees it protected before and
   * protects now (its {@code to}, both when it moved), whose ingress it changes.
   */
  record AuthorizationChanged(String namespace, String name, java.util.Set<String> services) implements RegistryChange {
    public AuthorizationChanged {
      services = java.util.Set.copyOf(services);
    }
  }

  record VipsChanged(String namespace) implements RegistryChange {}
}
