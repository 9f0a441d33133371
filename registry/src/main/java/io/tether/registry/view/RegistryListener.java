package io.tether.registry.view;

/**
 * Receives every update of a {@link RegistryView}, one at a time and in revision order, on the view's
 * own thread. Implementations must be quick (hand heavy work off) and must not throw.
 */
@FunctionalInterface
public interface RegistryListener {
  void onUpdate(RegistryUpdate update);
}
