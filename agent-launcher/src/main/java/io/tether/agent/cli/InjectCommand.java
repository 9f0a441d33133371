package io.tether.agent.cli;

import io.tether.agent.inject.InjectException;
import io.tether.agent.inject.InjectOptions;
import io.tether.agent.inject.Injection;
import io.tether.agent.inject.ServiceRequest;
import io.tether.agent.inject.TaskDefinitionInjector;
import io.tether.agent.inject.TaskDefinitionJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tether agent inject}: prints an ECS task definition with the Tether sidecar added. A malformed
 * option is a usage error (exit code 2); a task definition the sidecar cannot be added to as asked is
 * refused with the reason (exit code 1). Either way stdout stays empty; notes about a result go to stderr.
 */
@Command(name = "inject", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Add the Tether sidecar (an Envoy container) to an ECS task definition and print it.",
        "Example: tether agent inject task-definition.json --namespace prod --service app:http:payments "
            + "--xds tether.internal:18000 --token-secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:tether-agent"})
public final class InjectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK_DEFINITION",
      description = "The task definition (JSON, as registered or as describe-task-definition prints it); - for stdin.")
  Path file;

  @Option(names = "--namespace", required = true, paramLabel = "NS", description = "The task's Tether namespace.")
  String namespace;

  @Option(names = "--service", paramLabel = ServiceRequest.SYNTAX,
      description = {"A service the task serves (repeatable): the container's port mapping PORTNAME, as Tether "
          + "service DISCOVERYNAME (default: PORTNAME), reached on INGRESSPORT (default: the first free from 15000)."})
  List<String> services = new ArrayList<>();

  @Option(names = "--xds", required = true, paramLabel = "HOST:PORT",
      description = "The control plane's xDS address, as the task reaches it.")
  String xds;

  @Option(names = "--xds-ca", paramLabel = "FILE",
      description = "Speak TLS to xDS, verified against this CA file inside the Envoy container "
          + "(e.g. /etc/ssl/certs/ca-certificates.crt for a public CA).")
  String xdsCa;

  @Option(names = "--token-secret", required = true, paramLabel = "ARN_OR_PARAM",
      description = "Secrets Manager secret or SSM parameter holding the agent token; ECS puts it in the Envoy "
          + "container's environment with the task execution role.")
  String tokenSecret;

  @Option(names = "--envoy-image", paramLabel = "IMAGE", defaultValue = InjectOptions.DEFAULT_ENVOY_IMAGE,
      description = "Envoy image with /bin/sh and bash (default: ${DEFAULT-VALUE}).")
  String envoyImage;

  @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "9901",
      description = "Envoy's admin port on 127.0.0.1, where its health check asks /ready (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Override
  public Integer call() {
    InjectOptions options;
    try {
      InjectOptions.Builder b = InjectOptions.builder().namespace(namespace).tokenSecret(tokenSecret)
          .envoyImage(envoyImage).adminPort(Args.port("--admin-port", adminPort)).xdsCaFile(xdsCa);
      Args.HostPort address = Args.hostPort("--xds", xds);
      b.xds(address.host(), address.port());
      services.forEach(s -> b.service(Args.serviceRequest(s)));
      options = b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    try {
      Injection injection = TaskDefinitionInjector.inject(TaskDefinitionJson.read(source(), read()), options);
      injection.notes().forEach(n -> err.println("note: " + n));
      err.flush();
      spec.commandLine().getOut().print(TaskDefinitionJson.print(injection.document()));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (InjectException e) {
      err.println("tether agent inject: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private String source() {
    return file.toString().equals("-") ? "standard input" : file.toString();
  }

  private byte[] read() {
    try {
      return file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InjectException(file + ": no such file");
    } catch (IOException e) {
      throw new InjectException(file + " cannot be read: " + e.getMessage());
    }
  }
}
