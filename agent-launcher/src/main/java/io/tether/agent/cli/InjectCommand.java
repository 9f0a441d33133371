package io.tether.agent.cli;

import io.tether.agent.inject.InjectException;
import io.tether.agent.inject.InjectOptions;
import io.tether.agent.inject.Injection;
import io.tether.agent.inject.LaunchType;
import io.tether.agent.inject.ServiceRequest;
import io.tether.agent.inject.TaskDefinitionInjector;
import io.tether.agent.inject.TaskDefinitionJson;
import io.tether.client.cli.Documents;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tether agent inject}: prints an ECS task definition with the Tether sidecar added (docs/ecs.md). A malformed
 * option is a usage error (exit code 2); a task definition the sidecar cannot be added to as asked is
 * refused with the reason (exit code 1). Either way stdout stays empty; notes about a result go to stderr.
 */
@Command(name = "inject", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Add the Tether sidecar (the tether-sidecar container: the task agent and its Envoy) to an ECS "
        + "task definition and print it.",
        "Example (bridge or host mode, beside a host agent): tether agent inject task-definition.json "
            + "--namespace prod --service app:http:payments",
        "Example (awsvpc, on EC2): add --server http://tether.internal:8700 --token-secret "
            + "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tether-agent"})
public final class InjectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK_DEFINITION",
      description = "The task definition (JSON as registered or as describe-task-definition prints it, or YAML); "
          + "- for stdin.")
  Path file;

  @Option(names = {"-n", "--namespace"}, required = true, paramLabel = "NS",
      description = "The task's Tether namespace, e.g. -n prod.")
  String namespace;

  @Option(names = "--service", paramLabel = ServiceRequest.SYNTAX,
      description = {"A service the task serves (repeatable): the container's port mapping PORTNAME, as Tether "
          + "service DISCOVERYNAME (default: PORTNAME), reached on INGRESSPORT (default: the first free from 15000)."})
  List<String> services = new ArrayList<>();

  @Option(names = "--sidecar-image", paramLabel = "IMAGE", defaultValue = InjectOptions.DEFAULT_SIDECAR_IMAGE,
      description = "The tether-sidecar image: Envoy, a JRE and the agent (default: ${DEFAULT-VALUE}).")
  String sidecarImage;

  @Option(names = "--admin-port", paramLabel = "PORT", converter = Numbers.Port.class,
      description = "Envoy's admin port on 127.0.0.1, where the health check asks /ready (default: 9901).")
  Integer adminPort;

  @Option(names = "--drain-seconds", paramLabel = "S", converter = Numbers.Seconds.class,
      description = "How long the sidecar drains before it stops (default: 5); its stopTimeout is this + 10 s.")
  Integer drainSeconds;

  @Option(names = "--lease-ttl", paramLabel = "S", converter = Numbers.LeaseTtl.class,
      description = "Seconds the endpoints outlive a silent sidecar (default: 10).")
  Integer leaseTtl;

  @Option(names = "--host-agent", paramLabel = "HOST:PORT",
      description = "Bridge and host modes: the host agent (default: bridge the default gateway, host 127.0.0.1; "
          + "port 15101).")
  String hostAgent;

  @Option(names = "--host-dns", paramLabel = "IP",
      description = "Bridge mode: the host agent's DNS server, put first in the other containers' dnsServers "
          + "(default: " + InjectOptions.DEFAULT_HOST_DNS + ").")
  String hostDns;

  @Option(names = "--launch-type", paramLabel = "EC2|EXTERNAL",
      description = "Where the task runs; EXTERNAL (ECS Anywhere) refuses awsvpc, which it does not have.")
  LaunchType launchType;

  /** awsvpc mode: the REST API as the task reaches it; not read from $TETHER_SERVER, which is the operator's. */
  @Mixin ServerOption server;

  @Option(names = "--xds", paramLabel = "HOST:PORT",
      description = "awsvpc mode: Tether's xDS address (default: none; the sidecar asks the control plane, "
          + "GET /v1/xds, at start).")
  String xds;

  @Option(names = "--metrics-port", paramLabel = "PORT", converter = Numbers.PortOrNone.class,
      description = "The sidecar's Prometheus endpoint GET /metrics, TETHER_METRICS_PORT (default: 9902; 0 for none; "
          + "docs/task-metrics.md).")
  Integer metricsPort;

  @Option(names = "--no-metrics-port-mapping",
      description = "Bridge mode: do not publish the metrics port on a dynamic host port (by default it is, so that "
          + "Prometheus can scrape each task from another host).")
  boolean noMetricsPortMapping;

  @Option(names = "--label", paramLabel = "KEY=VALUE",
      description = "A label every endpoint of the task is registered with, repeatable, e.g. --label version=v2 "
          + "(TETHER_LABELS; README \"Canaries and test traffic\").")
  List<String> labels;

  @Option(names = "--token-secret", paramLabel = "ARN_OR_PARAM",
      description = "awsvpc mode: the Secrets Manager secret or SSM parameter holding the agent token; ECS puts it "
          + "in the sidecar's environment with the task execution role.")
  String tokenSecret;

  @Override
  public Integer call() {
    InjectOptions options;
    try {
      InjectOptions.Builder b = InjectOptions.builder().namespace(namespace).sidecarImage(sidecarImage)
          .adminPort(adminPort == null ? null : Args.port("--admin-port", adminPort))
          .drainSeconds(drainSeconds).leaseTtl(leaseTtl).hostDns(hostDns).launchType(launchType)
          .controlPlane(controlPlane()).tokenSecret(tokenSecret).labels(labels)
          .metricsPort(metricsPort).metricsPortMapping(!noMetricsPortMapping)
          .hostAgent(hostAgent == null ? null : checked("--host-agent", hostAgent))
          .xds(xds == null ? null : checked("--xds", xds));
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

  private URI controlPlane() {
    String url = server.resolve(null, false);
    return url == null ? null : URI.create(url);
  }

  /** A well-formed HOST:PORT, as given. */
  private static String checked(String option, String hostPort) {
    Args.hostPort(option, hostPort);
    return hostPort;
  }

  private String source() {
    return file.toString().equals("-") ? "standard input" : file.toString();
  }

  /** The task definition, JSON or YAML (docs/cli.md "Files"), as JSON. */
  private byte[] read() {
    try {
      byte[] raw = file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
      return Documents.asJson(file.toString(), raw);
    } catch (IllegalArgumentException e) {
      throw new InjectException(e.getMessage());
    } catch (NoSuchFileException e) {
      throw new InjectException(file + ": no such file");
    } catch (IOException e) {
      throw new InjectException(file + " cannot be read: " + e.getMessage());
    }
  }
}
