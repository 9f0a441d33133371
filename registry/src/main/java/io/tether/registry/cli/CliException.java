package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A failed operator command: the message is printed as is, and the command exits non-zero. */
final class CliException extends RuntimeException {
  private final String code;

  CliException(String message) {
    this(message, null);
  }

  private CliException(String message, String code) {
    super(message);
    this.code = code;
  }

  /** The API's error code (e.g. {@code ALREADY_EXISTS}), or null when the failure was not the API's answer. */
  String code() {
    return code;
  }

  static CliException fromApi(int status, JsonNode body) {
    JsonNode error = body == null ? null : body.path("error");
    if (error == null || error.isMissingNode()) {
      return new CliException("HTTP " + status);
    }
    String field = error.path("field").asText("");
    String code = error.path("code").asText("HTTP " + status);
    return new CliException(code + ": " + error.path("message").asText("")
        + (field.isEmpty() ? "" : " (field: " + field + ")"), code);
  }
}
