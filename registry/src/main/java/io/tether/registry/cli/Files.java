package io.tether.registry.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a spec file, or standard input for "-". */
final class Files {
  private Files() {}

  static byte[] read(Path file) {
    try {
      return file.toString().equals("-") ? System.in.readAllBytes() : java.nio.file.Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
