package io.tether.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The host's agent token, read from its file. A file that its group or others may read still works,
 * but is worth a warning: whoever reads it can register endpoints in the namespace.
 */
final class AgentTokenFile {
  /** The token, and a warning about the file's mode, or null when it is private. */
  record Token(String value, String warning) {}

  private AgentTokenFile() {}

  /** @throws HostConfigException when the file is missing, unreadable or empty */
  static Token read(Path file) throws HostConfigException {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new HostConfigException("tokenFile " + file + ": no such file");
    } catch (IOException e) {
      throw new HostConfigException("tokenFile " + file + " cannot be read: " + e.getMessage());
    }
    if (token.isEmpty()) {
      throw new HostConfigException("tokenFile " + file + " is empty: it must hold an agent token of the namespace");
    }
    return new Token(token, modeWarning(file));
  }

  private static String modeWarning(Path file) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
        return "tokenFile " + file + " is readable by its group or by others (" + PosixFilePermissions.toString(mode)
            + "): anyone who reads it can register endpoints in the namespace; chmod 600 " + file;
      }
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      return null; // no POSIX modes here: nothing to warn about
    }
  }
}
