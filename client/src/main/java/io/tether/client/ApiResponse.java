package io.tether.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tether.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One answer of the API as it came: status, body bytes and {@code ETag} (or null). The body is read
 * leniently, because not every answer is the API's: a proxy in between may send its own error page.
 */
public record ApiResponse(int status, byte[] raw, String etag) {

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The body as JSON; a missing node when it is empty or not JSON. */
  public JsonNode json() {
    if (raw.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return Json.MAPPER.readTree(raw);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** Why a non-empty body is not JSON (the parser's message), or null when it is JSON or empty. */
  public String notJson() {
    if (raw.length == 0) {
      return null;
    }
    try {
      Json.MAPPER.readTree(raw);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** The body as text. */
  public String text() {
    return new String(raw, StandardCharsets.UTF_8);
  }

  /** The API's error object ({@code {"error": {code, message, field}}}), or a missing node when it sent none. */
  public JsonNode error() {
    return json().path("error");
  }
}
