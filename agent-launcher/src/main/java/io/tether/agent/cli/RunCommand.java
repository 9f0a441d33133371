package io.tether.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tether agent run}: runs one task with its sidecar. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a task beside an Envoy sidecar.")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("not yet");
  }
}
