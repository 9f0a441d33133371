package io.tether.agent.host;

/** A config file the host agent cannot run with; the message names the file, the field and what to change. */
public final class HostConfigException extends Exception {
  public HostConfigException(String message) {
    super(message);
  }
}
