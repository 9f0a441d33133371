package io.tether.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A call the API refused (its JSON error format, README "REST API", decoded here and nowhere else),
 * or one that got no answer at all: then {@link #status()} is 0 and the cause is the I/O failure or
 * the interruption. Unchecked: each caller maps the few cases it acts on into its own terms.
 */
public final class ApiException extends RuntimeException {
  private final String request;
  private final String path;
  private final ApiResponse response;
  private final JsonNode error; // parsed once: the body is read here, not by every accessor

  private ApiException(String request, String path, ApiResponse response, JsonNode error, String message,
      Throwable cause) {
    super(message, cause);
    this.request = request;
    this.path = path;
    this.response = response;
    this.error = error;
  }

  /** An error answer. */
  static ApiException refused(String method, String base, String path, ApiResponse response) {
    String request = method + " " + base + path;
    JsonNode error = response.error();
    String code = error.path("code").asText(null);
    String text = error.path("message").asText(response.text());
    return new ApiException(request, path, response, error,
        request + ": " + response.status() + (code == null ? "" : " " + code) + ": " + text, null);
  }

  /** No answer: the connection failed or timed out, or the calling thread was interrupted. */
  static ApiException noAnswer(String method, String base, String path, Exception cause) {
    String request = method + " " + base + path;
    return new ApiException(request, path, null, MissingNode.getInstance(), request + " failed: " + cause, cause);
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return response == null ? 0 : response.status();
  }

  /** The API's error code (INVALID_ARGUMENT, NOT_FOUND, …), or null when the answer carried none. */
  public String code() {
    return error.path("code").asText(null);
  }

  /** The request field the API blamed, or null. */
  public String field() {
    return error.path("field").asText(null);
  }

  /** The API's error message, or null when the answer carried none. */
  public String apiMessage() {
    return error.path("message").asText(null);
  }

  /** Whether the answer carried the API's error object at all (a proxy's page does not). */
  public boolean hasError() {
    return !error.isMissingNode();
  }

  /** The answer, or null when there was none. */
  public ApiResponse response() {
    return response;
  }

  /** The request's path, as sent (after the API's base URL). */
  public String path() {
    return path;
  }

  /** The request as "METHOD url", for messages. */
  public String request() {
    return request;
  }

  /** No answer because the calling thread was interrupted (its interrupt flag is set again). */
  public boolean interrupted() {
    return getCause() instanceof InterruptedException;
  }

  public boolean isNotFound() {
    return status() == 404;
  }
}
