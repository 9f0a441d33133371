package io.tether.agent.cli;

import io.tether.agent.AgentTask;
import io.tether.agent.TaskSettings;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.net.HostAddress;
import io.tether.agent.net.HostName;
import io.tether.agent.registry.RegistryClient;
import io.tether.client.cli.CliEnvironment;
import io.tether.client.cli.Documents;
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
    ConfigFile file = config == null ? ConfigFile.empty() : new ConfigFile(usage(() -> Documents.read(config)));
    Map<String, String> endpointLabels = usage(() -> labels.resolve(file.get("labels"))); // bad ones stop us first
    String cpUrl = usage(() -> server.resolve(file.text(file.text("server"), "controlPlane"), true));
    String ns = file.text(namespace, "namespace");
    Path tokenPath = file.path(tokenFile, "tokenFile");
    Path tokenAt = tokenPath != null || CliEnvironment.get("TETHER_TOKEN_FILE") == null ? tokenPath
        : Path.of(CliEnvironment.get("TETHER_TOKEN_FILE"));
    List<String> command = file.strings(app, "app");
    require(cpUrl != null, "--server is required (or $TETHER_SERVER, or server in --config)");
    URI cp = URI.create(cpUrl);
    require(ns != null, "--namespace is required");
    require(tokenAt != null, "--token-file is required");
    String token = usage(() -> Tokens.read("--token-file", tokenAt));
    require(command != null && !command.isEmpty(), "the app's command is required after --");
    String svc = file.text(service, "service");
    Integer port = file.number(appPort, "appPort");
    require(svc == null || port != null, "--app-port is required with --service");
    TaskSettings.Identity identity = identity(file, ns, svc, endpointLabels);
    ServiceSpec serviceSpec = svc == null ? null : ServedService.lookUp(new RegistryClient(cp, token), ns, svc);
    String xdsGiven = file.text(xds, "xds");
    XdsLookup.XdsTarget xdsTarget = xdsTarget(xdsGiven, cpUrl, token);
    boolean noProxy = file.flag(proxyless, "proxyless");
    Path xdsCaFile = usage(() -> xdsCa.resolve(file.text("xdsCa"), xdsTarget, xdsGiven != null, noProxy));
    int defaultIngress = serviceSpec == null || serviceSpec.ingressPortOverride() == null
        ? 15000 : serviceSpec.ingressPortOverride();
    TaskSettings.Ports ports = new TaskSettings.Ports(port, file.number(ingressPort, "ingressPort", defaultIngress),
        file.number(adminPort, "adminPort", 9901));
    String hosts = file.text(hostsFile, "hostsFile");
    String check = file.text(healthCheck, "healthCheck");
    return new TaskSettings(
        new TaskSettings.ControlPlane(cp, xdsTarget.address().host(), xdsTarget.address().port(), xdsCaFile, token),
        identity,
        ports,
        new TaskSettings.AppHealth(check != null ? check : ServedService.healthCheck(serviceSpec),
            TaskSettings.HealthTiming.of(serviceSpec == null ? null : serviceSpec.policy().healthCheck())),
        new TaskSettings.Envoy(file.path(envoyBin, "envoyBin"), file.number(envoyRestarts, "envoyRestarts", 5),
            Duration.ofMillis(file.number(envoyBackoffMs, "envoyBackoffMs", 1000))),
        timings(file),
        "none".equals(hosts) ? null : Path.of(hosts != null ? hosts : "/etc/hosts"),
        noProxy,
        usage(() -> certificates.resolve(file.text("certsDir"), file.text("identity"), noProxy, svc)),
        file.path(workDir, "workDir"),
        new TaskSettings.Metrics(metricsEndpoint(file, ports), serviceSpec != null && serviceSpec.protocol() == AppProtocol.GRPC),
        command);
  }

  /** Who the task is: its namespace, service, task id (random unless given), address, zone, host and labels. */
  private TaskSettings.Identity identity(ConfigFile file, String ns, String svc, Map<String, String> endpointLabels) {
    String taskZone = file.text(zone, "zone");
    require(taskZone == null || Names.isDnsName(taskZone), "--zone '" + taskZone + "' is not a DNS name (e.g. rack-1 "
        + "or eu-west-1a)");
    String registeredAddress = svc == null ? null
        : registeredAddress(file.text(address, "address"), file.flag(allowLoopbackAddress, "allowLoopbackAddress"));
    String task = file.text(taskId, "taskId");
    return new TaskSettings.Identity(ns, svc, task != null ? task : UUID.randomUUID().toString().substring(0, 8),
        registeredAddress, taskZone, HostName.ofThisHost(), endpointLabels);
  }

  private TaskSettings.Timings timings(ConfigFile file) {
    return new TaskSettings.Timings(
        Duration.ofSeconds(file.number(drainSeconds, "drainTime", 5)),
        Duration.ofSeconds(file.number(stopGraceSeconds, "stopGrace", 10)),
        Duration.ofSeconds(file.number(startTimeout, "startTimeout", 300)),
        file.number(leaseTtl, "leaseTtl", 10));
  }

  /** The metrics endpoint, on a port none of the task's others is (see {@link MetricsEndpoint.Settings#avoiding}). */
  private MetricsEndpoint.Settings metricsEndpoint(ConfigFile file, TaskSettings.Ports ports) {
    boolean given = file.number(metricsPort, "metricsPort") != null;
    int port = file.number(metricsPort, "metricsPort", MetricsEndpoint.Settings.DEFAULT_PORT);
    require(port >= 0 && port <= 65535, "--metrics-port " + port + " is not a port number (0 for none, else 1-65535)");
    String address = file.text(metricsAddress, "metricsAddress");
    address = address != null ? address : MetricsEndpoint.Settings.DEFAULT_ADDRESS;
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
}
