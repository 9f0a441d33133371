package io.tether.model;

/** The registry's error codes and the HTTP status each maps to. */
public enum ErrorCode {
  INVALID_ARGUMENT(400),
  UNAUTHENTICATED(401),
  PERMISSION_DENIED(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TIMEOUT(408),
  ALREADY_EXISTS(409),
  FAILED_PRECONDITION(409),
  ABORTED(409),
  PRECONDITION_FAILED(412),
  PAYLOAD_TOO_LARGE(413),
  URI_TOO_LONG(414),
  UNSUPPORTED_MEDIA_TYPE(415),
  EXPECTATION_FAILED(417),
  HEADERS_TOO_LARGE(431),
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
