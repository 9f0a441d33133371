package io.tether.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a command line that runs a Java main in a JVM of its own, as the tests and the testbed
 * start servers, agents, apps and callers: this JVM's {@code java} and {@link #FLAGS}, then {@code -cp},
 * the main class and its arguments. Such a JVM lives seconds to minutes on a machine whose cores it shares
 * with Envoys, etcds and other JVMs; C2's compilations and G1's parallel workers there cost CPU that a
 * short life never earns back. With {@link #FLAGS} a {@code tether server} is ready on about 40 % less
 * CPU (README.md, "Development").
 */
public final class ChildJvm {
  /** C1 only, the serial collector: the flags of a short-lived JVM. */
  public static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ChildJvm() {}

  /** The {@code java} of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java FLAGS}: append {@code -cp}, the main class and its arguments. */
  public static List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(FLAGS);
    return command;
  }

  /** {@code java FLAGS -cp <this JVM's classpath> main}: append its arguments. */
  public static List<String> main(Class<?> main) {
    List<String> command = command();
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    return command;
  }
}
