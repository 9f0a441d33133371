package io.tether.agent.inject;

/**
 * The sidecar cannot be added as asked. The message names the offending container, field or option,
 * and what to do about it, for an operator to act on without reading this code.
 */
public final class InjectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InjectException(String message) {
    super(message);
  }
}
