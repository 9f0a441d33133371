package io.tether.model;

/**
 * Where a {@link RouteRule} (or a split, or a test traffic rule) sends its calls: a service of the same
 * namespace ({@code service} absent: the service the rule belongs to), or one of that service's
 * {@code subset}s, with {@code weight} percent of them when the rule splits between several.
 */
public record Destination(String service, String subset, Integer weight) {
  /** A whole service, no subset. */
  public Destination(String service, Integer weight) {
    this(service, null, weight);
  }

  /** The service this destination names, {@code self} when it names none. */
  public String serviceOr(String self) {
    return service == null ? self : service;
  }

  /** The weight, 100 for a sole destination that gives none. */
  public int weightOrAll() {
    return weight == null ? 100 : weight;
  }

  /** How the destination reads in messages: {@code web}, or {@code web~v2} for a subset. */
  public String describe(String self) {
    return subset == null ? serviceOr(self) : serviceOr(self) + "~" + subset;
  }
}
