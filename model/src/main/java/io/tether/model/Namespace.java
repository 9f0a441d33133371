package io.tether.model;

/** A namespace: the unit of visibility (clients see the services of their own namespace only). */
public record Namespace(String name, String description, ServicePolicy defaults) {

  public Namespace withName(String newName) {
    return new Namespace(newName, description, defaults);
  }

  /** The defaults its services inherit, never null. */
  public ServicePolicy defaultsOrEmpty() {
    return defaults == null ? ServicePolicy.EMPTY : defaults;
  }
}
