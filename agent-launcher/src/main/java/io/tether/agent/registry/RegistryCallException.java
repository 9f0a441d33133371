package io.tether.agent.registry;

/**
 * A registry call that failed: the server's answer ({@link #status()} with its error {@link #code()},
 * message and {@link #field()}), or, with status 0, no answer at all. Unchecked, like the registry's own
 * errors: the agent handles the few it can act on ({@link LeaseGoneException}, {@link #isNotFound()})
 * and reports the rest.
 */
public class RegistryCallException extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;

  public RegistryCallException(int status, String code, String field, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** The HTTP status, or 0 when the registry could not be reached. */
  public int status() {
    return status;
  }

  /** The registry's error code (INVALID_ARGUMENT, NOT_FOUND, …), or null when it gave none. */
  public String code() {
    return code;
  }

  /** The request field the registry blamed, or null. */
  public String field() {
    return field;
  }

  public boolean isNotFound() {
    return status == 404;
  }
}
