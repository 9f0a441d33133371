package io.tether.main;

import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The admin token used when no token file is given: generated on first start, printed once, and kept
 * in {@code <data-dir>/admin.token} (mode 0600) so restarts and the CLI reuse it.
 */
final class AdminToken {
  private AdminToken() {}

  static TokenAuthenticator loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("admin.token");
    try {
      String token;
      if (Files.exists(file)) {
        token = Files.readString(file).trim();
      } else {
        Files.createDirectories(dataDir);
        token = TokenAuthenticator.newToken();
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        System.out.println("Generated an admin token (kept in " + file + "; shown only this once):");
        System.out.println("  " + token);
      }
      return TokenAuthenticator.of(List.of(new TokenFile.Entry("admin", token, Role.ADMIN, null)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
