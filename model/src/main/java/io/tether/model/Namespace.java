package io.tether.model;

/**
 * A namespace: the unit of visibility (clients see the services of their own namespace only).
 *
 * @param tracing where its Envoy sidecars send spans; null: no tracing
 */
public record Namespace(String name, String description, ServicePolicy defaults, Tracing tracing) {

  /** A namespace without tracing. */
  public Namespace(String name, String description, ServicePolicy defaults) {
    this(name, description, defaults, null);
  }

  public Namespace withName(String newName) {
    return new Namespace(newName, description, defaults, tracing);
  }

  /** As {@code ?effective=true} answers it: the tracing's defaults filled in (the policy's are per service). */
  public Namespace effective() {
    return tracing == null ? this : new Namespace(name, description, defaults, tracing.effective());
  }

  /** The defaults its services inherit, never null. */
  public ServicePolicy defaultsOrEmpty() {
    return defaults == null ? ServicePolicy.EMPTY : defaults;
  }
}
