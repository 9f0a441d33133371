package io.tether.registry.model;

/** The registry's error codes and the HTTP status each maps to. */
public enum ErrorCode {
  INVALID_ARGUMENT(400),
  UNAUTHENTICATED(401),
  PERMISSION_DENIED(403),
  NOT_FOUND(404),
  ALREADY_EXISTS(409),
  FAILED_PRECONDITION(409),
  ABORTED(409),
  PRECONDITION_FAILED(412),
  PAYLOAD_TOO_LARGE(413),
  INTERNAL(500),
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
