package io.tether.registry.cli;

import io.tether.client.ApiException;
import io.tether.client.cli.CliErrors;
import java.io.PrintWriter;
import java.net.ConnectException;

/** A failed operator command: the message is printed as is, and the command exits non-zero. */
final class CliException extends RuntimeException {

  CliException(String message) {
    super(message);
  }

  /**
   * Prints why a command failed as one {@code error: …} line and answers its exit code: 2 for a value the
   * caller must fix (IllegalArgumentException), 1 for a failure, and 1 for a bug, which says it is one
   * rather than printing a bare "Cannot invoke … because s is null" (docs/cli.md "Errors").
   */
  static int report(RuntimeException e, PrintWriter err) {
    boolean usage = e instanceof IllegalArgumentException;
    if (!usage && !(e instanceof CliException)) {
      CliErrors.debug(e);
    }
    err.println("error: " + (CliErrors.isBug(e) ? CliErrors.internal(e) : e.getMessage()));
    err.flush();
    return usage ? CliErrors.USAGE : CliErrors.FAILURE;
  }

  /** A failed API call in the operator's terms: the API's code, message and field, or why there was no answer. */
  static CliException from(ApiException e, String base, String tokenSource) {
    if (e.interrupted()) {
      return new CliException("interrupted");
    }
    if (e.getCause() instanceof ConnectException) {
      return new CliException("cannot reach the Tether API at " + base + " (is `" + CliErrors.prog() + " server` running?)");
    }
    if (e.status() == 0) {
      Throwable why = e.getCause() != null ? e.getCause() : e;
      return new CliException(e.request() + " failed: " + (why.getMessage() != null ? why.getMessage() : why));
    }
    if (e.response().notJson() != null) {
      return new CliException(e.request() + " failed: " + e.response().notJson());
    }
    if (!e.hasError()) {
      return new CliException("HTTP " + e.status());
    }
    String field = e.field() == null ? "" : e.field();
    String hint = e.status() == 401 ? unauthenticated(tokenSource) : "";
    String code = e.code() == null ? "HTTP " + e.status() : e.code();
    return new CliException(code + ": " + (e.apiMessage() == null ? "" : e.apiMessage())
        + (field.isEmpty() ? "" : " (field: " + field + ")") + hint);
  }

  /** Which token was refused (the precedence of docs/cli.md decides which was sent), then how to give another. */
  private static String unauthenticated(String tokenSource) {
    String which = tokenSource == null ? "no token was sent" : "the token " + tokenSource + " was refused";
    return ": " + which + "; give another with --token-file FILE, $TETHER_TOKEN or a context ("
        + CliErrors.prog() + " context set NAME --token-file FILE)";
  }
}
