package io.tether.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.bootstrap.GrpcBootstrap;
import io.tether.agent.bootstrap.ServedPort;
import io.tether.client.cli.Documents;
import io.tether.model.json.Json;
import io.tether.model.Names;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tether agent bootstrap}: prints the Envoy (or grpc-java) bootstrap for a task. Every mistake
 * in the options is a usage error (exit code 2) naming the option; nothing is printed on stdout then.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the bootstrap of a task's Envoy sidecar, or with --proxyless of a grpc-java app.",
        "Example: tether agent bootstrap -n prod --service payments:15000:8080 --server tether.internal:8700 "
            + "--token-file agent.token"})
public final class BootstrapCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, required = true, paramLabel = "NS",
      description = "The task's Tether namespace, e.g. -n prod.")
  String namespace;

  @Option(names = "--service", paramLabel = "NAME:INGRESS_PORT:[APP_HOST:]APP_PORT",
      description = {"A service the task serves (repeatable): callers reach it on INGRESS_PORT, Envoy forwards to "
          + "the app on APP_PORT. APP_HOST, when the app is not on Envoy's loopback (e.g. another container), "
          + "adds a forwarder from 127.0.0.1:APP_PORT to it."})
  List<String> services = new ArrayList<>();

  @Option(names = "--cluster", paramLabel = "NAME",
      description = "node.cluster (default: the first --service's NAME; required without --service: the task family).")
  String cluster;

  @Option(names = "--node-id", paramLabel = "ID",
      description = "node.id, unique per task (default: the cluster and a random suffix).")
  String nodeId;

  @Option(names = "--xds", paramLabel = "HOST:PORT",
      description = "The control plane's xDS address, e.g. tether.internal:18000 (default: what --server "
          + "advertises at GET /v1/xds).")
  String xds;

  @Mixin ServerOption server;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TokenSource token;

  static final class TokenSource {
    @Option(names = "--token-file", paramLabel = "FILE", required = true, description = "File holding the agent token.")
    Path file;

    @Option(names = "--token", paramLabel = "TOKEN", required = true,
        description = "The agent token (visible to other users in the process list; prefer --token-file).")
    String value;
  }

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "node.locality.zone, the zone the task calls from: zone-aware services prefer its endpoints "
          + "(e.g. eu-west-1a).")
  String zone;

  @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "9901", converter = Numbers.Port.class,
      description = "Envoy's admin port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--xds-ca", paramLabel = "FILE",
      description = "Speak TLS to xDS, verified against this CA file (a path where Envoy runs).")
  String xdsCa;

  @Option(names = "--proxyless", description = "Print the grpc-java xDS bootstrap (GRPC_XDS_BOOTSTRAP) instead.")
  boolean proxyless;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json",
      description = "json or yaml (default: ${DEFAULT-VALUE}).")
  Format output;

  enum Format { json, yaml }

  @Override
  public Integer call() {
    String text;
    try {
      text = render();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String render() {
    if (!Names.isLabel(namespace)) {
      throw new IllegalArgumentException("--namespace '" + namespace + "' is not a DNS label (lower-case letters, "
          + "digits and '-', at most 63)");
    }
    if (xds != null) {
      Args.hostPort("--xds", xds);
    }
    Args.port("--admin-port", adminPort);
    if (zone != null && !Names.isDnsName(zone)) {
      throw new IllegalArgumentException("--zone '" + zone + "' is not a DNS name (e.g. rack-1 or eu-west-1a)");
    }
    List<ServedPort> served = served();
    if (proxyless && !served.isEmpty()) {
      throw new IllegalArgumentException("--service is for sidecars: a proxyless grpc-java app only calls services");
    }
    if (proxyless && xdsCa != null) {
      throw new IllegalArgumentException("--xds-ca is not available with --proxyless: the tether-bearer channel "
          + "credentials of grpc-java's bootstrap are plaintext");
    }
    if (proxyless && output == Format.yaml) {
      throw new IllegalArgumentException("-o yaml is not available with --proxyless: grpc-java reads a JSON bootstrap");
    }
    String nodeCluster = cluster != null ? cluster : served.isEmpty() ? null : served.get(0).discoveryName();
    if (nodeCluster == null || nodeCluster.isBlank()) {
      throw new IllegalArgumentException("--cluster is required without --service: a client-only task's "
          + "node.cluster is its task family");
    }
    String id = nodeId != null ? nodeId : nodeCluster + "-" + randomSuffix();
    if (id.isBlank()) {
      throw new IllegalArgumentException("--node-id is empty");
    }
    String tokenValue = token();
    XdsLookup.XdsTarget target = XdsLookup.resolve(xds, xds == null ? server.resolve(null, true) : null, tokenValue);
    if (target.tls() && xdsCa == null && !proxyless) {
      throw new IllegalArgumentException("the control plane serves xDS over TLS (GET /v1/xds): pass --xds-ca FILE, "
          + "the CA that signed its certificate");
    }
    Args.HostPort xdsAddress = target.address();
    BootstrapSpec bootstrap = new BootstrapSpec(id, nodeCluster, namespace, served, xdsAddress.host(),
        xdsAddress.port(), tokenValue, adminPort, xdsCa).withZone(zone);
    if (proxyless) {
      return pretty(GrpcBootstrap.render(bootstrap));
    }
    String json = EnvoyBootstrap.json(EnvoyBootstrap.render(bootstrap)) + "\n";
    return output == Format.yaml ? yaml(json) : json;
  }

  /**
   * The --service values. Envoy and the apps beside it share one network namespace, so every port in it
   * is held once: Envoy's admin port, each ingress port (Envoy's), each app port (the app's, or the
   * forwarder's for an app on APP_HOST). Two services may name the same app port on the loopback (one app
   * under two names), never the same forwarder.
   */
  private List<ServedPort> served() {
    List<ServedPort> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<Integer, String> holders = new HashMap<>();
    holders.put(adminPort, "Envoy's --admin-port");
    for (String arg : services) {
      ServedPort s = Args.servedPort(arg);
      String what = "--service " + arg + ": ";
      int ingress = s.ingressPort();
      int app = s.appPort();
      if (!names.add(s.discoveryName())) {
        throw new IllegalArgumentException(what + "service '" + s.discoveryName() + "' is given twice");
      }
      if (ingress == app) {
        throw new IllegalArgumentException(what + "INGRESS_PORT and APP_PORT are both " + ingress + ": Envoy and "
            + "the app beside it cannot listen on the same port");
      }
      String holder = holders.putIfAbsent(ingress, "service " + s.discoveryName() + "'s INGRESS_PORT");
      if (holder != null) {
        throw new IllegalArgumentException(what + "INGRESS_PORT " + ingress + " is already " + holder);
      }
      String appHolder = s.appOnLoopback() ? "the app port of service " : "the forwarder of service ";
      holder = holders.putIfAbsent(app, appHolder + s.discoveryName());
      if (holder != null && !(s.appOnLoopback() && holder.startsWith("the app port"))) {
        throw new IllegalArgumentException(what + "APP_PORT " + app + " is already " + holder
            + (s.appOnLoopback() ? "" : " (an app on APP_HOST is forwarded from 127.0.0.1:APP_PORT)"));
      }
      out.add(s);
    }
    return out;
  }

  private String token() {
    if (token.file != null) {
      return Tokens.read("--token-file", token.file);
    }
    String t = token.value.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("--token is empty");
    }
    return Tokens.checked("--token", t);
  }

  private static String randomSuffix() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** As the operator CLI prints JSON. */
  private static String pretty(Object value) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print the bootstrap", e);
    }
  }

  private static String yaml(String json) {
    try {
      return Documents.yaml(new ObjectMapper().readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot convert the bootstrap to YAML", e);
    }
  }
}
