package io.tether.agent.inject;

import com.google.common.net.InetAddresses;
import io.tether.model.Names;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options checked against each other and against the task's network mode, each refusal saying what
 * to change. Bridge and host tasks reach the control plane through the host agent, which holds the
 * token; an awsvpc task has an ENI of its own, cannot reach the host agent, and talks to the control
 * plane directly (docs/ecs.md).
 */
final class OptionChecks {
  private OptionChecks() {}

  /** ECS's limit on a container's stopTimeout, which is the drain plus {@link SidecarContainer#STOP_MARGIN_SECONDS}. */
  static final int MAX_STOP_TIMEOUT = 120;

  static void values(InjectOptions options) {
    if (!Names.isLabel(options.namespace())) {
      throw new InjectException("--namespace '" + options.namespace() + "' is not a DNS label (lower-case letters, "
          + "digits and '-', at most 63)");
    }
    if (options.sidecarImage().isBlank()) {
      throw new InjectException("--sidecar-image is empty");
    }
    if (options.adminPort() != null) {
      checkPort("--admin-port", options.adminPort());
    }
    for (ServiceRequest s : options.services()) {
      if (s.ingressPort() != null) {
        checkPort(s.arg() + ": INGRESSPORT", s.ingressPort());
      }
    }
    int maxDrain = MAX_STOP_TIMEOUT - SidecarContainer.STOP_MARGIN_SECONDS;
    if (options.drainSeconds() != null && (options.drainSeconds() < 0 || options.drainSeconds() > maxDrain)) {
      throw new InjectException("--drain-seconds " + options.drainSeconds() + " must be between 0 and " + maxDrain
          + ": the sidecar's stopTimeout is the drain plus " + SidecarContainer.STOP_MARGIN_SECONDS + " s, and ECS "
          + "allows at most " + MAX_STOP_TIMEOUT + " s");
    }
    if (options.metricsPort() != null && options.metricsPort() != 0) {
      checkPort("--metrics-port", options.metricsPort());
    }
    if (options.leaseTtl() != null && (options.leaseTtl() < 2 || options.leaseTtl() > 3600)) {
      throw new InjectException("--lease-ttl " + options.leaseTtl() + " must be between 2 and 3600 seconds");
    }
    if (options.hostDns() != null && !InetAddresses.isInetAddress(options.hostDns())) {
      throw new InjectException("--host-dns '" + options.hostDns() + "' is not an IP address (Docker's dnsServers "
          + "take addresses only), e.g. 172.17.0.1");
    }
  }

  static void forMode(TaskDefinition task, InjectOptions options) {
    if (task.networkMode == NetworkMode.AWSVPC) {
      awsvpc(task, options);
      return;
    }
    List<String> direct = given(options, "--server", "--xds", "--token-secret");
    if (!direct.isEmpty()) {
      throw new InjectException(String.join(", ", direct) + ": for awsvpc tasks only. In " + task.networkMode.wire
          + " mode the host agent holds the token and relays the sidecar to the control plane, so the task "
          + "definition holds no token and no reference to one: drop " + String.join(" and ", direct));
    }
    if (task.networkMode == NetworkMode.HOST && !options.metricsPortMapping()) {
      throw new InjectException("--no-metrics-port-mapping is for bridge mode: a host-mode sidecar serves its metrics "
          + "on the host's own address, with no mapping to drop; drop --no-metrics-port-mapping (--metrics-port 0 "
          + "serves no metrics)");
    }
    if (task.networkMode == NetworkMode.HOST && options.hostDns() != null) {
      throw new InjectException("--host-dns is for bridge mode: Docker gives host-mode containers no DNS server of "
          + "their own, so they read the host's /etc/hosts, which the host agent keeps current; drop --host-dns");
    }
  }

  private static void awsvpc(TaskDefinition task, InjectOptions options) {
    String noAwsvpc = ": ECS Anywhere external instances have no awsvpc network mode; use bridge or host";
    if (options.launchType() == LaunchType.EXTERNAL) {
      throw new InjectException("networkMode awsvpc with --launch-type EXTERNAL" + noAwsvpc);
    }
    if (task.requiresCompatibility("EXTERNAL")) {
      throw new InjectException("networkMode awsvpc with requiresCompatibilities EXTERNAL" + noAwsvpc
          + ", or require EC2");
    }
    List<String> hostAgent = given(options, "--host-agent", "--host-dns");
    if (!options.metricsPortMapping()) {
      hostAgent.add("--no-metrics-port-mapping");
    }
    if (!hostAgent.isEmpty()) {
      throw new InjectException(String.join(", ", hostAgent) + ": not for awsvpc tasks. An awsvpc task has its own "
          + "ENI, which serves the sidecar's ports with no mapping, and cannot reach the host agent; its sidecar talks "
          + "to the control plane directly: drop " + String.join(" and ", hostAgent));
    }
    if (options.controlPlane() == null) {
      throw new InjectException("networkMode awsvpc needs --server: an awsvpc task cannot reach the host "
          + "agent, so its sidecar talks to the control plane directly; give Tether's REST API as the task reaches "
          + "it, e.g. --server http://tether.internal:8700");
    }
    checkControlPlane(options.controlPlane());
    if (options.xds() != null) {
      checkNotLoopback("--xds " + options.xds(), hostOf(options.xds()));
    }
    if (options.tokenSecret() == null || options.tokenSecret().isBlank()) {
      throw new InjectException("networkMode awsvpc needs --token-secret: its sidecar talks to the control plane "
          + "directly, with the agent token ECS reads from that secret; give the ARN (or SSM parameter name) of the "
          + "secret holding the agent token");
    }
    if (!task.hasTaskLevel("executionRoleArn")) {
      throw new InjectException("executionRoleArn is missing: ECS reads --token-secret into the "
          + SidecarContainer.NAME + " container with the task execution role (allow it "
          + "secretsmanager:GetSecretValue or ssm:GetParameters on " + options.tokenSecret() + ")");
    }
  }

  private static void checkControlPlane(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new InjectException("--server '" + url + "' must be an http or https URL with a host, e.g. "
          + "http://tether.internal:8700");
    }
    checkNotLoopback("--server " + url, url.getHost());
  }

  /** A loopback address in awsvpc mode is the task's own, not the control plane. */
  private static void checkNotLoopback(String what, String host) {
    String h = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
    if (h.startsWith("127.") || h.equals("localhost") || h.equals("::1")) {
      throw new InjectException(what + " is the task's own loopback in awsvpc mode: give the control plane's "
          + "address as the task reaches it");
    }
  }

  /** The host of {@code HOST:PORT} or {@code [V6]:PORT}. */
  private static String hostOf(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return colon > 0 ? hostPort.substring(0, colon) : hostPort;
  }

  /** Which of the named options were given. */
  private static List<String> given(InjectOptions options, String... names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      Object value = switch (name) {
        case "--server" -> options.controlPlane();
        case "--xds" -> options.xds();
        case "--token-secret" -> options.tokenSecret();
        case "--host-agent" -> options.hostAgent();
        case "--host-dns" -> options.hostDns();
        default -> throw new IllegalArgumentException(name);
      };
      if (value != null) {
        out.add(name);
      }
    }
    return out;
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new InjectException(what + " " + port + " is not a port number (1-65535)");
    }
  }
}
