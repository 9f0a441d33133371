package io.tether.model;

/** A value that breaks a rule of the domain: always INVALID_ARGUMENT, always naming the field. */
public final class InvalidSpecException extends RegistryException {
  public InvalidSpecException(String field, String message) {
    super(ErrorCode.INVALID_ARGUMENT, message, field);
  }
}
