package io.tether.registry.cli;

import io.tether.client.cli.CliEnvironment;
import picocli.CommandLine.Option;

/**
 * {@code -n/--namespace}, the one way an operator command is told its namespace (a {@code @Mixin}):
 * the flag, else {@code $TETHER_NAMESPACE}, else the current context's namespace.
 */
public final class NamespaceOption {
  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", order = 1,
      description = "The namespace, e.g. -n prod (default: $TETHER_NAMESPACE, else the context's)")
  String namespace;

  /** The namespace to use; none anywhere is a usage error saying how to give one. */
  String resolve(ApiOptions api) {
    if (namespace != null) {
      return namespace;
    }
    String env = CliEnvironment.get("TETHER_NAMESPACE");
    if (env != null) {
      return env;
    }
    String fromContext = api.contextNamespace();
    if (fromContext != null) {
      return fromContext;
    }
    throw new IllegalArgumentException("no namespace: pass -n NS, or set one for the context "
        + "(tether context set NAME -n NS)");
  }
}
