package io.tether.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tether agent bootstrap}: prints the Envoy (or grpc-java) bootstrap for a task. */
@Command(name = "bootstrap", mixinStandardHelpOptions = true, description = "Print the sidecar bootstrap.")
public final class BootstrapCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("not yet");
  }
}
