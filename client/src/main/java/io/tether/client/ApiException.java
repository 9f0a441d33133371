package io.tether.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call the API refused (its JSON error format, README "REST API", decoded here and nowhere else),
 * or one that got no answer at all: then {@link #status()} is 0 and the cause is the I/O failure or
 * the interruption. Unchecked: each caller maps the few cases it acts on into its own terms.
 */
public final class ApiException extends RuntimeException {
  private final String request;
  private final String path;
  private final ApiResponse response;
  private final String code;
  private final String field;
  private final String apiMessage;

  private ApiException(String request, String path, ApiResponse response, String message, Throwable cause) {
    super(message, cause);
    this.request = request;
    this.path = path;
    this.response = response;
    JsonNode error = response == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : response.error();
    this.code = error.path("code").asText(null);
    this.field = error.path("field").asText(null);
    this.apiMessage = error.path("message").asText(null);
  }

  /** An error answer. */
  static ApiException refused(String method, String base, String path, ApiResponse response) {
    String request = method + " " + base + path;
    String code = response.error().path("code").asText(null);
    String text = response.error().path("message").asText(response.text());
    return new ApiException(request, path, response, request + ": " + response.status() + (code == null ? "" : " " + code)
        + ": " + text, null);
  }

  /** No answer: the connection failed or timed out, or the calling thread was interrupted. */
  static ApiException noAnswer(String method, String base, String path, Exception cause) {
    String request = method + " " + base + path;
    return new ApiException(request, path, null, request + " failed: " + cause, cause);
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return response == null ? 0 : response.status();
  }

  /** The API's error code (INVALID_ARGUMENT, NOT_FOUND, …), or null when the answer carried none. */
  public String code() {
    return code;
  }

  /** The request field the API blamed, or null. */
  public String field() {
    return field;
  }

  /** The API's error message, or null when the answer carried none. */
  public String apiMessage() {
    return apiMessage;
  }

  /** Whether the answer carried the API's error object at all (a proxy's page does not). */
  public boolean hasError() {
    return response != null && !response.error().isMissingNode();
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
