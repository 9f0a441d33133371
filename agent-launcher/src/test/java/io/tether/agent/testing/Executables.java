package io.tether.agent.testing;

import io.tether.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes small executables that start a Java main of the test tree, as a real binary would be started. */
public final class Executables {
  private Executables() {}

  public static Path javaMain(Path file, Class<?> main) throws IOException {
    String script = "#!/bin/sh\nexec '" + ChildJvm.java() + "' " + String.join(" ", ChildJvm.FLAGS) + " -cp '"
        + System.getProperty("java.class.path") + "' " + main.getName() + " \"$@\"\n";
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
