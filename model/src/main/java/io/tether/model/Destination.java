package io.tether.model;

/**
 * Where a {@link RouteRule} sends its calls: a service of the same namespace ({@code service} absent: the
 * service the rule belongs to), with {@code weight} percent of them when the rule splits between several.
 */
public record Destination(String service, Integer weight) {
  /** The service this destination names, {@code self} when it names none. */
  public String serviceOr(String self) {
    return service == null ? self : service;
  }

  /** The weight, 100 for a sole destination that gives none. */
  public int weightOrAll() {
    return weight == null ? 100 : weight;
  }
}
