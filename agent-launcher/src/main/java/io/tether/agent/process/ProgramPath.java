package io.tether.agent.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Finds the program of a command line as exec would (a name with a '/' as it is, any other on PATH).
 * Children are started through setpriv, so a missing program would otherwise show up only as a child
 * exiting with 127; looking first lets the agent say what is wrong before it starts anything.
 */
public final class ProgramPath {
  private ProgramPath() {}

  /**
   * @param what how to name the program in the message, e.g. "the app's program"
   * @throws IllegalStateException with a one-line message when there is no such executable file
   */
  public static Path resolve(String what, String program) {
    if (program.contains("/")) {
      Path path = Path.of(program);
      if (!Files.exists(path)) {
        throw new IllegalStateException(what + " " + program + " does not exist");
      }
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new IllegalStateException(what + " " + program + " is not an executable file");
      }
      return path;
    }
    String searched = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String dir : searched.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(what + " '" + program + "' was not found on PATH (" + searched + ")");
  }
}
