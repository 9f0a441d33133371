package io.tether.registry.cli;

import io.tether.client.ApiException;
import java.net.ConnectException;

/** A failed operator command: the message is printed as is, and the command exits non-zero. */
final class CliException extends RuntimeException {

  CliException(String message) {
    super(message);
  }

  /** A failed API call in the operator's terms: the API's code, message and field, or why there was no answer. */
  static CliException from(ApiException e, String base) {
    if (e.interrupted()) {
      return new CliException("interrupted");
    }
    if (e.getCause() instanceof ConnectException) {
      return new CliException("cannot reach the Tether API at " + base + " (is `./tether server` running?)");
    }
    if (e.status() == 0) {
      return new CliException(e.request() + " failed: " + e.getCause().getMessage());
    }
    if (e.response().notJson() != null) {
      return new CliException(e.request() + " failed: " + e.response().notJson());
    }
    if (!e.hasError()) {
      return new CliException("HTTP " + e.status());
    }
    String field = e.field() == null ? "" : e.field();
    // Which token was sent follows the precedence of docs/cli.md; say how to give another.
    String hint = e.status() == 401 ? " (give a token with --token-file FILE, $TETHER_TOKEN or a context: "
        + "tether context set NAME --token-file FILE)" : "";
    String code = e.code() == null ? "HTTP " + e.status() : e.code();
    return new CliException(code + ": " + (e.apiMessage() == null ? "" : e.apiMessage())
        + (field.isEmpty() ? "" : " (field: " + field + ")") + hint);
  }
}
