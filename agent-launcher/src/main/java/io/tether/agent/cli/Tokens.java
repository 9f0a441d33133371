package io.tether.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A bearer token file as every agent command reads it: stripped, not empty, sendable in a header. */
final class Tokens {
  private Tokens() {}

  /** @throws IllegalArgumentException naming {@code option} and the file, saying what is wrong */
  static String read(String option, Path file) {
    String t;
    try {
      t = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read: no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e.getMessage());
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException(option + " " + file + " is empty");
    }
    return checked(option + " " + file, t);
  }

  /** The token, if an HTTP header can carry it. */
  static String checked(String what, String token) {
    if (token.chars().anyMatch(c -> c < ' ' || c > '~')) {
      throw new IllegalArgumentException(what + ": the token has a control or non-ASCII character, which an HTTP "
          + "header cannot carry");
    }
    return token;
  }
}
