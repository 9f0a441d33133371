package io.tether.agent.registry;

/** The registry could not be reached, or kept answering 502/503/504, through every retry of a call. */
public final class RegistryUnavailableException extends RegistryCallException {
  public RegistryUnavailableException(int status, String code, String message, Throwable cause) {
    super(status, code, null, message, cause);
  }
}
