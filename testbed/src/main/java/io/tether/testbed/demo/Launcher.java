package io.tether.testbed.demo;

import io.tether.process.ChildJvm;
import java.nio.file.Path;
import java.util.List;

/**
 * How the demo starts {@code tether server} and {@code tether agent run}: through the {@code tether}
 * script (as {@code ./tether demo} does, so the commands are the ones a user types), or, without one,
 * as the same main classes on this JVM's classpath (as the tests do, which must not build anything).
 */
record Launcher(Path script) {
  private static final String SERVER_MAIN = "io.tether.main.TetherMain";
  private static final String AGENT_MAIN = "io.tether.agent.AgentMain";

  /** The start of a {@code tether server} command line. */
  List<String> server() {
    return script == null ? java(SERVER_MAIN, "server") : List.of(script.toString(), "server");
  }

  /** The start of a {@code tether agent run} command line. */
  List<String> agentRun() {
    return script == null ? java(AGENT_MAIN, "run") : List.of(script.toString(), "agent", "run");
  }

  private static List<String> java(String main, String command) {
    List<String> java = ChildJvm.command();
    java.addAll(List.of("-cp", System.getProperty("java.class.path"), main, command));
    return java;
  }
}
