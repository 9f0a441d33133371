package io.tether.main;

/** The version this build reports: {@code tether --version}, each replica's record, {@code /v1/status}. */
public final class TetherVersion {
  public static final String VERSION = "0.1.0";

  private TetherVersion() {}
}
