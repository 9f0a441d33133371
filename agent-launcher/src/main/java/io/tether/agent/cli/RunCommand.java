package io.tether.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.AgentTask;
import io.tether.agent.TaskSettings;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.net.HostAddress;
import io.tether.agent.net.HostName;
import io.tether.agent.registry.RegistryClient;
import io.tether.client.cli.CliEnvironment;
import io.tether.client.cli.Documents;
import io.tether.model.json.Json;
import io.tether.model.AppProtocol;
import io.tether.model.Names;
import io.tether.model.ServiceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tether agent run [options] -- APP COMMAND…}: runs one task beside an Envoy sidecar (or, with
 * {@code --proxyless}, beside nothing but the registration). Every option may also come from a JSON
 * or YAML file ({@code --config}) with the same names without dashes; flags win.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a task beside an Envoy sidecar.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON or YAML file with these options (keys without dashes; "
          + "server, or its old name controlPlane), e.g. task.yaml")
  Path config;

  @Mixin ServerOption server;

  @Mixin XdsCaOption xdsCa;
  @Mixin CertificateOptions certificates;
  @Mixin LabelOption labels;

  @Option(names = "--xds", paramLabel = "HOST:PORT",
      description = "xDS server HOST:PORT, e.g. tether.internal:18000 (default: what the "
          + "control plane advertises at GET /v1/xds)")
  String xds;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the agent token of the namespace "
      + "(default: $TETHER_TOKEN_FILE)")
  Path tokenFile;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "The task's namespace, e.g. -n prod") String namespace;

  @Option(names = "--service", paramLabel = "NAME",
      description = "The discovery name this task serves (omit for a client-only task)")
  String service;

  @Option(names = "--app-port", paramLabel = "PORT", converter = Numbers.Port.class,
      description = "The port the app listens on, e.g. 8080") Integer appPort;

  @Option(names = "--ingress-port", paramLabel = "PORT", converter = Numbers.Port.class,
      description = "Envoy's ingress port (default: the service's ingressPortOverride, else 15000)")
  Integer ingressPort;

  @Option(names = "--address", paramLabel = "IP",
      description = "Where other hosts reach this task, taken as given, loopback included "
          + "(default: the address of the default route's interface, else of the first non-loopback interface)")
  String address;

  @Option(names = "--allow-loopback-address", description = "Without --address, register 127.0.0.1 when this host "
      + "has no other address (a single-host mesh) instead of failing")
  Boolean allowLoopbackAddress;

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "The task's zone, registered with the endpoint and written as its node.locality.zone (what "
          + "zone-aware services prefer the endpoints of), e.g. onprem-a") String zone;

  @Option(names = "--task-id", paramLabel = "ID", description = "Unique per task (default: random)") String taskId;

  @Option(names = "--health-check", paramLabel = "SPEC",
      description = "http:/path, tcp, grpc or none (default: the service's healthCheck policy)")
  String healthCheck;

  @Option(names = "--envoy-bin", paramLabel = "PATH",
      description = "The Envoy binary (default: $ENVOY_BIN, else envoy on PATH)")
  Path envoyBin;

  @Option(names = "--admin-port", paramLabel = "PORT", converter = Numbers.Port.class,
      description = "Envoy admin port on 127.0.0.1 (default 9901)") Integer adminPort;

  @Option(names = "--metrics-port", paramLabel = "PORT", converter = Numbers.PortOrNone.class,
      description = "Port of the task's Prometheus endpoint GET /metrics, Service "
          + "Connect's metrics from Envoy (default " + MetricsEndpoint.Settings.DEFAULT_PORT + "; 0 for none)")
  Integer metricsPort;

  @Option(names = "--metrics-address", paramLabel = "IP",
      description = "Address the metrics endpoint listens on (default "
          + MetricsEndpoint.Settings.DEFAULT_ADDRESS + ": every interface, for a Prometheus on another host)")
  String metricsAddress;

  @Option(names = "--drain-time", paramLabel = "S", converter = Numbers.Seconds.class,
      description = "Seconds Envoy drains before the app is stopped (default 5)")
  Integer drainSeconds;

  @Option(names = "--stop-grace", paramLabel = "S", converter = Numbers.Seconds.class,
      description = "Seconds between SIGTERM and SIGKILL for the app (default 10)")
  Integer stopGraceSeconds;

  @Option(names = "--start-timeout", paramLabel = "S", converter = Numbers.Seconds.class,
      description = "Seconds the app has to become healthy before the task fails (default 300)")
  Integer startTimeout;

  @Option(names = "--envoy-restarts", paramLabel = "N", converter = Numbers.Count.class,
      description = "Envoy crashes in a row before the task fails (default 5)")
  Integer envoyRestarts;

  @Option(names = "--envoy-backoff-ms", paramLabel = "MS", converter = Numbers.Millis.class,
      description = "First restart delay, doubling up to 30 s (default 1000)")
  Integer envoyBackoffMs;

  @Option(names = "--hosts-file", paramLabel = "PATH",
      description = "Where client aliases go (default /etc/hosts; 'none' to skip)")
  String hostsFile;

  @Option(names = "--proxyless",
      description = "No Envoy: the app speaks xDS itself (GRPC_XDS_BOOTSTRAP is set for it)")
  Boolean proxyless;

  @Option(names = "--lease-ttl", paramLabel = "S", converter = Numbers.LeaseTtl.class,
      description = "Seconds the endpoint outlives a silent agent (default 10)")
  Integer leaseTtl;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where bootstraps and Envoy's log go (default: a new private directory "
          + "tether-agent-TASK-* in the system temp directory, removed on exit; of a given one, only the bootstraps are)")
  Path workDir;

  @Parameters(paramLabel = "APP", description = "The app's command and its arguments, after --: -- ./payments --port 8080")
  List<String> app;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TaskSettings settings = settings();
    AgentTask task = new AgentTask(settings);
    task.handleSignals();
    int status = task.run();
    log.info("agent exiting with status {}", status);
    return status;
  }

  private TaskSettings settings() throws IOException {
    JsonNode file = config == null ? Json.MAPPER.createObjectNode() : usage(() -> Documents.read(config));
    Map<String, String> endpointLabels = usage(() -> labels.resolve(file.get("labels"))); // bad ones stop us first
    String cpUrl = usage(() -> server.resolve(first(text(file, "server"), text(file, "controlPlane")), true));
    String ns = first(namespace, text(file, "namespace"));
    Path tokenPath = tokenFile != null ? tokenFile : file.hasNonNull("tokenFile") ? Path.of(file.get("tokenFile").asText())
        : CliEnvironment.get("TETHER_TOKEN_FILE") != null ? Path.of(CliEnvironment.get("TETHER_TOKEN_FILE")) : null;
    List<String> command = app != null ? app : file.has("app") ? List.of(Json.MAPPER.convertValue(file.get("app"), String[].class)) : null;
    require(cpUrl != null, "--server is required (or $TETHER_SERVER, or server in --config)");
    URI cp = URI.create(cpUrl);
    require(ns != null, "--namespace is required");
    require(tokenPath != null, "--token-file is required");
    String token = usage(() -> Tokens.read("--token-file", tokenPath));
    require(command != null && !command.isEmpty(), "the app's command is required after --");
    String svc = first(service, text(file, "service"));
    String taskZone = first(zone, text(file, "zone"));
    require(taskZone == null || Names.isDnsName(taskZone), "--zone '" + taskZone + "' is not a DNS name (e.g. rack-1 "
        + "or eu-west-1a)");
    Integer port = appPort != null ? appPort : file.hasNonNull("appPort") ? file.get("appPort").asInt() : null;
    require(svc == null || port != null, "--app-port is required with --service");
    String registeredAddress = svc == null ? null : registeredAddress(first(address, text(file, "address")),
        allowLoopbackAddress != null ? allowLoopbackAddress : file.path("allowLoopbackAddress").asBoolean(false));
    ServiceSpec serviceSpec = svc == null ? null : ServedService.lookUp(new RegistryClient(cp, token), ns, svc);
    String xdsGiven = first(xds, text(file, "xds"));
    XdsLookup.XdsTarget xdsTarget = xdsTarget(xdsGiven, cpUrl, token);
    String task = first(taskId, text(file, "taskId"));
    task = task != null ? task : UUID.randomUUID().toString().substring(0, 8);
    boolean noProxy = proxyless != null ? proxyless : file.path("proxyless").asBoolean(false);
    Path xdsCaFile = usage(() -> xdsCa.resolve(text(file, "xdsCa"), xdsTarget, xdsGiven != null, noProxy));
    Args.HostPort xdsAddress = xdsTarget.address();
    String hosts = first(hostsFile, text(file, "hostsFile"));
    int defaultIngress = serviceSpec == null || serviceSpec.ingressPortOverride() == null
        ? 15000 : serviceSpec.ingressPortOverride();
    TaskSettings.Ports ports = new TaskSettings.Ports(port, intOr(ingressPort, file, "ingressPort", defaultIngress),
        intOr(adminPort, file, "adminPort", 9901));
    return new TaskSettings(
        new TaskSettings.ControlPlane(cp, xdsAddress.host(), xdsAddress.port(), xdsCaFile, token),
        new TaskSettings.Identity(ns, svc, task, registeredAddress, taskZone, HostName.ofThisHost(), endpointLabels),
        ports,
        new TaskSettings.AppHealth(first(healthCheck, first(text(file, "healthCheck"), ServedService.healthCheck(serviceSpec))),
            TaskSettings.HealthTiming.of(serviceSpec == null ? null : serviceSpec.policy().healthCheck())),
        new TaskSettings.Envoy(
            envoyBin != null ? envoyBin : file.hasNonNull("envoyBin") ? Path.of(file.get("envoyBin").asText()) : null,
            intOr(envoyRestarts, file, "envoyRestarts", 5),
            Duration.ofMillis(intOr(envoyBackoffMs, file, "envoyBackoffMs", 1000))),
        new TaskSettings.Timings(
            Duration.ofSeconds(intOr(drainSeconds, file, "drainTime", 5)),
            Duration.ofSeconds(intOr(stopGraceSeconds, file, "stopGrace", 10)),
            Duration.ofSeconds(intOr(startTimeout, file, "startTimeout", 300)),
            intOr(leaseTtl, file, "leaseTtl", 10)),
        "none".equals(hosts) ? null : Path.of(hosts != null ? hosts : "/etc/hosts"),
        noProxy,
        usage(() -> certificates.resolve(text(file, "certsDir"), text(file, "identity"), noProxy, svc)),
        workDir != null ? workDir : file.hasNonNull("workDir") ? Path.of(file.get("workDir").asText()) : null,
        new TaskSettings.Metrics(metricsEndpoint(file, ports), serviceSpec != null && serviceSpec.protocol() == AppProtocol.GRPC),
        command);
  }

  /** The metrics endpoint, on a port none of the task's others is (see {@link MetricsEndpoint.Settings#avoiding}). */
  private MetricsEndpoint.Settings metricsEndpoint(JsonNode file, TaskSettings.Ports ports) {
    boolean given = metricsPort != null || file.hasNonNull("metricsPort");
    int port = intOr(metricsPort, file, "metricsPort", MetricsEndpoint.Settings.DEFAULT_PORT);
    require(port >= 0 && port <= 65535, "--metrics-port " + port + " is not a port number (0 for none, else 1-65535)");
    String address = first(metricsAddress, first(text(file, "metricsAddress"), MetricsEndpoint.Settings.DEFAULT_ADDRESS));
    Map<Integer, String> taken = new HashMap<>(Map.of(ports.admin(), "--admin-port"));
    taken.putIfAbsent(ports.ingress(), "--ingress-port");
    if (ports.app() != null) {
      taken.putIfAbsent(ports.app(), "--app-port");
    }
    try {
      return new MetricsEndpoint.Settings(address, port, given).avoiding("--metrics-port", taken);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The xDS server: {@code --xds HOST:PORT} as every command reads it ({@link Args#hostPort}), else what
   * the control plane advertises ({@link XdsLookup}), with whether it speaks TLS there ({@link XdsCaOption}
   * checks that). {@code run} has always also taken a bare IPv6 address before the port
   * ({@code fd00::5:18000}: the port is after the last colon); still accepted.
   */
  private XdsLookup.XdsTarget xdsTarget(String target, String cp, String token) {
    boolean bareIpv6 = target != null && !target.startsWith("[") && target.indexOf(':') != target.lastIndexOf(':');
    String value = bareIpv6
        ? "[" + target.substring(0, target.lastIndexOf(':')) + "]" + target.substring(target.lastIndexOf(':'))
        : target;
    return usage(() -> XdsLookup.resolve(value, cp, token));
  }

  /** A value the caller gave that is wrong (a file, an address) is a usage error, exit 2, one line. */
  private <T> T usage(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The address to register: {@code --address} as given (a loopback one too: tests and single-host
   * setups pass 127.0.0.1 on purpose), else this host's routable address; logged with why.
   */
  private String registeredAddress(String explicit, boolean allowLoopback) {
    if (explicit != null) {
      boolean loopback = explicit.startsWith("127.") || explicit.equals("::1") || explicit.equalsIgnoreCase("localhost");
      log.info("registering address {} (--address){}", explicit, loopback ? ": loopback, only this host can reach it" : "");
      return explicit;
    }
    HostAddress.Choice choice;
    try {
      choice = HostAddress.ofThisHost(allowLoopback);
    } catch (IllegalStateException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    log.info("registering address {}: {}", choice.address(), choice.reason());
    return choice.address();
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private static String text(JsonNode file, String key) {
    return file.hasNonNull(key) ? file.get(key).asText() : null;
  }

  private static int intOr(Integer flag, JsonNode file, String key, int fallback) {
    return flag != null ? flag : file.hasNonNull(key) ? file.get(key).asInt() : fallback;
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
