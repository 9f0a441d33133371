package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A failed operator command: the message is printed as is, and the command exits non-zero. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  static CliException fromApi(int status, JsonNode body) {
    JsonNode error = body == null ? null : body.path("error");
    if (error == null || error.isMissingNode()) {
      return new CliException("HTTP " + status);
    }
    String field = error.path("field").asText("");
    return new CliException(error.path("code").asText("HTTP " + status) + ": " + error.path("message").asText("")
        + (field.isEmpty() ? "" : " (field: " + field + ")"));
  }
}
