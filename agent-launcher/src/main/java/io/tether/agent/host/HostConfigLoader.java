package io.tether.agent.host;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import io.tether.agent.net.HostAddress;
import io.tether.agent.relay.SourceFilter;
import io.tether.client.ServerCa;
import io.tether.client.cli.ServerUrl;
import io.tether.model.Names;
import io.tether.model.VipRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a host config file into {@link HostSettings}, checking every value at load, so that a bad one
 * stops the agent before anything starts, with a message that names the file, the field and what to
 * write instead. Defaults: {@link HostConfig}.
 */
public final class HostConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(HostConfigLoader.class);

  private final Path file;
  private final HostConfig config;

  private HostConfigLoader(Path file, HostConfig config) {
    this.file = file;
    this.config = config;
  }

  /** Reads and checks the file; logs a warning about a token file others can read. */
  public static HostSettings load(Path file) throws HostConfigException {
    return new HostConfigLoader(file, HostConfigReader.read(file)).settings();
  }

  private HostSettings settings() throws HostConfigException {
    try {
      HostSettings.ControlPlane controlPlane = controlPlane();
      HostSettings.Relay relay = relay();
      return new HostSettings(controlPlane, identity(), relay, names(), ecs(), egress(relay),
          config.workDir() == null ? null : Path.of(config.workDir()));
    } catch (IllegalArgumentException e) {
      throw new HostConfigException(file + ": " + e.getMessage());
    } catch (HostConfigException e) {
      throw new HostConfigException(file + ": " + e.getMessage());
    }
  }

  private HostSettings.ControlPlane controlPlane() throws HostConfigException {
    URI rest = URI.create(server());
    Path serverCa = serverCa();
    HostAndPort xds = config.xds() == null ? null : hostPort("xds", config.xds(), null);
    Path ca = config.xdsCaFile() == null ? null : Path.of(config.xdsCaFile());
    if (ca != null && !Files.isReadable(ca)) {
      throw new IllegalArgumentException("xdsCaFile " + ca + " is not a readable file");
    }
    AgentTokenFile.Token token = AgentTokenFile.read(Path.of(required("tokenFile", config.tokenFile(),
        "a file holding an agent token of the namespace, e.g. /etc/tether/agent.token")));
    if (token.warning() != null) {
      log.warn(token.warning());
    }
    return new HostSettings.ControlPlane(rest, serverCa, xds == null ? null : xds.getHost(),
        xds == null ? 0 : xds.getPort(), ca, token.value());
  }

  /** {@code serverCa}, read now as the REST clients will read it, so that a bad file stops the agent at load. */
  private Path serverCa() {
    if (config.serverCa() == null) {
      return null;
    }
    Path ca = Path.of(config.serverCa());
    ServerCa.load("serverCa", ca); // its message names the field and the file
    return ca;
  }

  /** {@code server}, or its old name {@code controlPlane}, as every command reads {@code --server}. */
  private String server() {
    if (config.server() != null && config.controlPlane() != null) {
      throw new IllegalArgumentException("server and controlPlane are both given: controlPlane is the old name of "
          + "server, keep one of them");
    }
    String field = config.controlPlane() != null ? "controlPlane" : "server";
    return ServerUrl.parse(field, required(field, config.controlPlane() != null ? config.controlPlane() : config.server(),
        "the Tether REST API, e.g. tether.internal:8700 or https://tether.internal:8700"));
  }

  private HostSettings.Identity identity() {
    String namespace = required("namespace", config.namespace(), "the namespace of this host's tasks, e.g. prod");
    if (!Names.isLabel(namespace)) {
      throw new IllegalArgumentException("namespace '" + namespace + "' is not a DNS label (lower-case letters, digits "
          + "and '-', at most 63)");
    }
    if (config.zone() != null && !Names.isDnsName(config.zone())) {
      throw new IllegalArgumentException("zone '" + config.zone() + "' is not a DNS name (e.g. rack-1 or eu-west-1a)");
    }
    return new HostSettings.Identity(namespace, address(), config.zone());
  }

  /** As given, or this host's routable address (logged with why), as {@code agent run} chooses it. */
  private String address() {
    if (config.address() != null) {
      return ipLiteral("address", config.address(), "what other hosts reach this host's tasks at, e.g. 10.0.1.17")
          .getHostAddress();
    }
    try {
      HostAddress.Choice choice = HostAddress.ofThisHost(false);
      log.info("address {}: {}", choice.address(), choice.reason());
      return choice.address();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("address is not set and this host has no non-loopback address: set address "
          + "to what other hosts reach this host's tasks at");
    }
  }

  private HostSettings.Relay relay() {
    List<String> listen = Objects.requireNonNullElse(config.listen(), HostConfig.DEFAULT_LISTEN);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("listen must name at least one address, e.g. [127.0.0.1, 172.17.0.1]");
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = 0; i < listen.size(); i++) {
      InetAddress address = ipLiteral("listen[" + i + "]", listen.get(i), "an address of this host, e.g. 172.17.0.1");
      if (addresses.contains(address)) {
        throw new IllegalArgumentException("listen[" + i + "] " + listen.get(i) + " is listed twice");
      }
      addresses.add(address);
    }
    SourceFilter sources = SourceFilter.parse("allowedSources",
        Objects.requireNonNullElse(config.allowedSources(), HostConfig.DEFAULT_ALLOWED_SOURCES));
    int api = port("apiPort", config.apiPort(), HostConfig.DEFAULT_API_PORT);
    int xds = port("xdsPort", config.xdsPort(), HostConfig.DEFAULT_XDS_PORT);
    if (api == xds) {
      throw new IllegalArgumentException("apiPort and xdsPort are both " + api + ": give them different ports");
    }
    return new HostSettings.Relay(addresses, sources, api, xds);
  }

  private HostSettings.Names names() {
    String dns = Objects.requireNonNullElse(config.dns(), HostConfig.DEFAULT_DNS);
    InetSocketAddress dnsAddress = null;
    if (!dns.equals(HostConfig.NONE)) {
      HostAndPort hp = hostPort("dns", dns, 53);
      dnsAddress = new InetSocketAddress(ipLiteral("dns", hp.getHost(), "e.g. 172.17.0.1:53, or none"), hp.getPort());
    }
    VipRange range = VipRange.parse(Objects.requireNonNullElse(config.vipRange(), HostConfig.DEFAULT_VIP_RANGE));
    String hosts = Objects.requireNonNullElse(config.hostsFile(), HostConfig.DEFAULT_HOSTS_FILE);
    Path hostsFile = hosts.equals(HostConfig.NONE) ? null : Path.of(hosts);
    if (hostsFile != null && Files.isDirectory(hostsFile)) {
      throw new IllegalArgumentException("hostsFile " + hosts + " is a directory: name the hosts file (/etc/hosts), or none");
    }
    return new HostSettings.Names(dnsAddress, range, hostsFile,
        millis("namesRefreshMs", config.namesRefreshMs(), HostConfig.DEFAULT_NAMES_REFRESH_MS));
  }

  private HostSettings.Ecs ecs() {
    URI agent = httpUrl("ecsAgent", Objects.requireNonNullElse(config.ecsAgent(), HostConfig.DEFAULT_ECS_AGENT));
    return new HostSettings.Ecs(agent, millis("ecsPollMs", config.ecsPollMs(), HostConfig.DEFAULT_ECS_POLL_MS));
  }

  private HostSettings.Egress egress(HostSettings.Relay relay) {
    int admin = port("adminPort", config.adminPort(), HostConfig.DEFAULT_ADMIN_PORT);
    if (admin == relay.apiPort() || admin == relay.xdsPort()) {
      throw new IllegalArgumentException("adminPort " + admin + " is also apiPort or xdsPort: give it a port of its own");
    }
    Path bin = config.envoyBin() == null ? null : Path.of(config.envoyBin());
    if (bin != null && (!Files.isRegularFile(bin) || !Files.isExecutable(bin))) {
      throw new IllegalArgumentException("envoyBin " + bin + " is not an executable file (leave it out to use "
          + "$ENVOY_BIN or envoy on PATH)");
    }
    return new HostSettings.Egress(bin, admin);
  }

  // ---- one value each ----

  private static String required(String field, String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required: " + what);
    }
    return value;
  }

  private static URI httpUrl(String field, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(field + " '" + value + "' must be an http:// or https:// URL with a host "
          + "and no query, e.g. http://tether.internal:8700");
    }
    return uri;
  }

  private static HostAndPort hostPort(String field, String value, Integer defaultPort) {
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      hp = null;
    }
    if (hp == null || hp.getHost().isEmpty() || (!hp.hasPort() && defaultPort == null)) {
      throw new IllegalArgumentException(field + " '" + value + "' must be HOST:PORT with a port from 1 to 65535 (e.g. "
          + "tether.internal:18000, 10.0.0.5:18000 or [fd00::5]:18000)");
    }
    int port = hp.getPortOrDefault(defaultPort == null ? 0 : defaultPort);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(field + " '" + value + "': " + port + " is not a port number (1-65535)");
    }
    return HostAndPort.fromParts(hp.getHost(), port);
  }

  private static InetAddress ipLiteral(String field, String value, String example) {
    if (value == null || !InetAddresses.isInetAddress(value.trim())) {
      throw new IllegalArgumentException(field + " '" + value + "' is not an IP address: " + example);
    }
    return InetAddresses.forString(value.trim());
  }

  private static int port(String field, Integer value, int fallback) {
    int port = value == null ? fallback : value;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(field + " " + port + " is not a port number (1-65535)");
    }
    return port;
  }

  private static Duration millis(String field, Integer value, int fallback) {
    int ms = value == null ? fallback : value;
    if (ms < 100 || ms > 60_000) {
      throw new IllegalArgumentException(field + " " + ms + " must be between 100 and 60000 (milliseconds)");
    }
    return Duration.ofMillis(ms);
  }
}
