package io.tether.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tether agent inject}: prints an ECS task definition with the Tether sidecar added. */
@Command(name = "inject", mixinStandardHelpOptions = true, description = "Add the sidecar to an ECS task definition.")
public final class InjectCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("not yet");
  }
}
