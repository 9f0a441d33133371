package io.tether.main;

/** Why {@code tether server} cannot start, in one line; printed without a stack trace. */
final class StartupException extends RuntimeException {
  StartupException(String message) {
    super(message);
  }
}
