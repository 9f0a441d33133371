package io.tether.model;

import java.util.Map;

/**
 * A named part of a service's endpoints, for canaries: the endpoints whose {@link Endpoint#labels} hold every
 * one of {@code labels} (e.g. {@code version: v2}). Subsets may overlap; an endpoint may be in none.
 */
public record Subset(String name, Map<String, String> labels) {
  public Subset {
    labels = labels == null ? Map.of() : Lists.copyKeepingNulls(labels);
  }

  /** Whether {@code endpoint} carries each of this subset's labels with the same value. */
  public boolean selects(Endpoint endpoint) {
    return labels.entrySet().stream().allMatch(l -> l.getValue().equals(endpoint.labels().get(l.getKey())));
  }
}
