package io.tether.xds.node;

/** A node whose identity or metadata Tether cannot serve; the message is shown to operators in /v1/proxies. */
public final class InvalidNodeException extends Exception {
  public InvalidNodeException(String reason) {
    super(reason);
  }
}
