package io.tether.model;

/**
 * A request the registry refuses, with a code, a message for a person and, where one field is to
 * blame, its JSON path (e.g. {@code clientAliases[0].port}).
 */
public class RegistryException extends RuntimeException {
  private final ErrorCode code;
  private final String field;

  public RegistryException(ErrorCode code, String message, String field) {
    super(message);
    this.code = code;
    this.field = field;
  }

  public RegistryException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public ErrorCode code() {
    return code;
  }

  /** The offending field's JSON path, or null when no single field is to blame. */
  public String field() {
    return field;
  }
}
