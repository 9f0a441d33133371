package io.tether.registry.view;

/**
 * One registry object put or deleted, as {@code GET /v1/watch} streams it (docs/operations.md, "Watching
 * the registry"). {@code value} is the object as its GET returns it, null for a delete; {@code service}
 * and {@code id} are null where the kind has none (an authorization's {@code id} is its name): they are written as JSON nulls, as the contract spells them.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
public record ResourceChange(long revision, String namespace, Kind kind, String service, String id, Op op,
    Object value) {

  /** What kind of object changed; JSON spells it in lower case. */
  public enum Kind {
    NAMESPACE, SERVICE, ENDPOINT, AUTHORIZATION;

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A put (created or changed) or a delete; JSON spells it in lower case. */
  public enum Op {
    PUT, DELETE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
