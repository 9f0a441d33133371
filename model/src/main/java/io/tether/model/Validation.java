package io.tether.model;

import com.google.common.net.InetAddresses;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every rule a write must satisfy before it may reach etcd. Each check throws {@link
 * InvalidSpecException} naming the first offending field by its JSON path.
 */
public final class Validation {
  private Validation() {}

  static final int MAX_ALIASES = 32;
  static final int MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
  static final int MAX_RETRIES = 10;
  static final int MAX_METADATA_ENTRIES = 32;
  static final int MAX_TEXT = 256;
  private static final Pattern STATUS_CODE = Pattern.compile("[45][0-9][0-9]");
  private static final Pattern HTTP_TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  /** Envoy's HTTP and gRPC retry conditions; a three-digit 4xx/5xx code is also accepted. */
  static final Set<String> RETRY_CONDITIONS = Set.of(
      "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited",
      "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
      "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
      "resource-exhausted", "unavailable");

  public static Namespace namespace(String pathName, Namespace ns) {
    Names.requireLabel("name", pathName);
    if (ns.name() != null && !ns.name().equals(pathName)) {
      throw new InvalidSpecException("name", "name '" + ns.name() + "' does not match the path '" + pathName + "'");
    }
    text("description", ns.description());
    if (ns.defaults() != null) {
      policy("defaults.", ns.defaults(), null);
    }
    if (ns.tracing() != null) {
      TracingValidation.tracing(ns.tracing());
    }
    return ns.withName(pathName);
  }

  /** As {@link #service(String, String, ServiceSpec)} for a service whose namespace is not known here. */
  public static ServiceSpec service(String pathName, ServiceSpec spec) {
    return service(null, pathName, spec);
  }

  /** A service of {@code namespace} (null: not known, so exports and imports are not checked against it). */
  public static ServiceSpec service(String namespace, String pathName, ServiceSpec spec) {
    Names.requireLabel("discoveryName", pathName);
    if (spec.discoveryName() != null && !spec.discoveryName().equals(pathName)) {
      throw new InvalidSpecException("discoveryName",
          "discoveryName '" + spec.discoveryName() + "' does not match the path '" + pathName + "'");
    }
    Names.requireLabel("portName", spec.portName());
    clientAliases(spec.clientAliases());
    if (spec.ingressPortOverride() != null) {
      port("ingressPortOverride", spec.ingressPortOverride());
    }
    // Before the policy and routing: on an import, what it must not declare is named as such.
    ExportValidation.sharing(namespace, spec);
    policy("", spec.policy(), spec.protocol());
    SubsetValidation.traffic(pathName, spec.traffic(), spec.protocol());
    RouteValidation.routes(pathName, spec.traffic(), spec.protocol());
    return spec.withDiscoveryName(pathName);
  }

  /**
   * An endpoint address is a literal IP address that other hosts can route to, in a form Envoy's
   * SocketAddress takes: no zone (scope id), and not link-local, unspecified or multicast.
   */
  private static void address(String address) {
    if (address == null || address.indexOf('%') >= 0 || !InetAddresses.isInetAddress(address)) {
      throw new InvalidSpecException("address", "address must be an IPv4 or IPv6 address (without a zone such as %eth0)");
    }
    java.net.InetAddress ip = InetAddresses.forString(address);
    if (ip.isLinkLocalAddress() || ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
      throw new InvalidSpecException("address", "address must be routable: " + address
          + " is link-local, unspecified or multicast");
    }
  }

  public static Endpoint endpoint(Endpoint ep) {
    address(ep.address());
    required("port", ep.port());
    port("port", ep.port());
    if (ep.zone() != null && !Names.isDnsName(ep.zone())) {
      throw new InvalidSpecException("zone", "zone must be a DNS name");
    }
    text("taskId", ep.taskId());
    text("host", ep.host());
    if (ep.metadata().size() > MAX_METADATA_ENTRIES) {
      throw new InvalidSpecException("metadata", "metadata holds at most " + MAX_METADATA_ENTRIES + " entries");
    }
    for (Map.Entry<String, String> e : ep.metadata().entrySet()) {
      text("metadata." + e.getKey(), e.getKey());
      if (e.getValue() == null) {
        throw new InvalidSpecException("metadata." + e.getKey(), "metadata." + e.getKey() + " must be a string, not null");
      }
      text("metadata." + e.getKey(), e.getValue());
    }
    LabelValidation.labels("labels", ep.labels());
    if (ep.leaseId() != null && ep.leaseId() <= 0) {
      throw new InvalidSpecException("leaseId", "leaseId must be a lease returned by POST /v1/leases");
    }
    return ep;
  }

  /**
   * Endpoint labels as an agent is given them before it registers: the rules of an endpoint's
   * {@code labels}, with {@code field} (e.g. {@code --label}) naming where they came from.
   */
  public static Map<String, String> labels(String field, Map<String, String> labels) {
    LabelValidation.labels(field, labels);
    return labels;
  }

  private static void clientAliases(List<ClientAlias> aliases) {
    if (aliases.size() > MAX_ALIASES) {
      throw new InvalidSpecException("clientAliases", "at most " + MAX_ALIASES + " client aliases");
    }
    Set<String> seen = new HashSet<>();
    Map<Integer, String> portOwners = new HashMap<>();
    for (int i = 0; i < aliases.size(); i++) {
      String field = "clientAliases[" + i + "]";
      ClientAlias alias = aliases.get(i);
      if (alias == null) {
        throw new InvalidSpecException(field, field + " must be an object");
      }
      if (!Names.isDnsName(alias.dnsName())) {
        throw new InvalidSpecException(field + ".dnsName",
            "dnsName must be a DNS name of lower-case labels, at most " + Names.MAX_DNS_NAME + " characters");
      }
      required(field + ".port", alias.port());
      port(field + ".port", alias.port());
      if (!seen.add(alias.hostPort())) {
        throw new InvalidSpecException(field, "client alias " + alias.hostPort() + " is listed twice");
      }
      // Every alias of a service shares its VIP, so each alias's listener needs a port of its own:
      // Envoy rejects (NACKs) a second listener on the same VIP:port.
      String other = portOwners.putIfAbsent(alias.port(), alias.hostPort());
      if (other != null) {
        throw new InvalidSpecException(field + ".port", "client alias " + alias.hostPort() + " has the port of "
            + other + ": a service's aliases share one virtual IP, so each needs a port of its own");
      }
    }
  }

  /** {@code protocol} is the service's, or null for a namespace's defaults (any service may inherit them). */
  private static void policy(String prefix, ServicePolicy p, AppProtocol protocol) {
    if (p.timeout() != null) {
      timeout(prefix + "timeout", p.timeout());
    }
    if (p.retryPolicy() != null) {
      retryPolicy(prefix + "retryPolicy", p.retryPolicy());
    }
    if (p.outlierDetection() != null) {
      OutlierDetection od = p.outlierDetection();
      range(prefix + "outlierDetection.consecutive5xx", od.consecutive5xx(), 1, 1000);
      range(prefix + "outlierDetection.intervalMs", od.intervalMs(), 1, 3_600_000);
      range(prefix + "outlierDetection.baseEjectionTimeMs", od.baseEjectionTimeMs(), 1, 3_600_000);
      range(prefix + "outlierDetection.maxEjectionPercent", od.maxEjectionPercent(), 0, 100);
    }
    if (p.circuitBreakers() != null) {
      CircuitBreakers cb = p.circuitBreakers();
      range(prefix + "circuitBreakers.maxConnections", cb.maxConnections(), 1, Integer.MAX_VALUE);
      range(prefix + "circuitBreakers.maxPendingRequests", cb.maxPendingRequests(), 1, Integer.MAX_VALUE);
      range(prefix + "circuitBreakers.maxRequests", cb.maxRequests(), 1, Integer.MAX_VALUE);
      range(prefix + "circuitBreakers.maxRetries", cb.maxRetries(), 0, Integer.MAX_VALUE);
    }
    if (p.healthCheck() != null) {
      healthCheck(prefix + "healthCheck", p.healthCheck());
    }
    if (p.hashOn() != null) {
      hashOn(prefix + "hashOn", p.hashOn(), p.loadBalancing(), protocol);
    }
  }

  /**
   * Exactly one key, named as it travels (header names are HTTP tokens in lower case, as HTTP/2 sends
   * them; cookie names are tokens), beside a hashing loadBalancing in the same object so that the
   * rule is checked where it is written; tcp has only the source address to hash on.
   */
  private static void hashOn(String field, HashOn h, LoadBalancing lb, AppProtocol protocol) {
    if (h.keys() != 1) {
      throw new InvalidSpecException(field, field + " must name exactly one of header, cookie, sourceIp: true");
    }
    if (!HashOn.hashes(lb)) {
      throw new InvalidSpecException(field, field + " needs \"loadBalancing\": \"RING_HASH\" or \"MAGLEV\" beside it, was "
          + (lb == null ? "unset" : lb));
    }
    if (h.header() != null) {
      token(field + ".header", h.header());
      if (!h.header().equals(h.header().toLowerCase(Locale.ROOT))) {
        throw new InvalidSpecException(field + ".header", field + ".header must be in lower case");
      }
    }
    if (h.cookie() != null) {
      token(field + ".cookie", h.cookie());
    }
    if (protocol == AppProtocol.TCP && !h.onSourceIp()) {
      String key = h.header() != null ? ".header" : ".cookie";
      throw new InvalidSpecException(field + key,
          "a tcp service has no headers or cookies: hash it on \"sourceIp\": true");
    }
  }

  /** An HTTP token (RFC 9110 section 5.6.2), as header and cookie names are. */
  static void token(String field, String value) {
    if (value.isEmpty() || value.length() > MAX_TEXT || !HTTP_TOKEN.matcher(value).matches()) {
      throw new InvalidSpecException(field, field + " must be an HTTP token of at most " + MAX_TEXT
          + " characters (letters, digits and !#$%&'*+-.^_`|~), was '" + value + "'");
    }
  }

  static void timeout(String field, Timeout t) {
    range(field + ".idleTimeoutSeconds", t.idleTimeoutSeconds(), 0, MAX_TIMEOUT_SECONDS);
    range(field + ".perRequestTimeoutSeconds", t.perRequestTimeoutSeconds(), 0, MAX_TIMEOUT_SECONDS);
  }

  static void retryPolicy(String field, RetryPolicy rp) {
    range(field + ".numRetries", rp.numRetries(), 0, MAX_RETRIES);
    range(field + ".perTryTimeoutMs", rp.perTryTimeoutMs(), 0, MAX_TIMEOUT_SECONDS * 1000);
    List<String> on = rp.retryOn();
    if (on == null) {
      return;
    }
    for (int i = 0; i < on.size(); i++) {
      String cond = on.get(i);
      if (cond == null || !(RETRY_CONDITIONS.contains(cond) || STATUS_CODE.matcher(cond).matches())) {
        throw new InvalidSpecException(field + ".retryOn[" + i + "]", "unknown retry condition '" + cond
            + "': use one of " + String.join(", ", RETRY_CONDITIONS.stream().sorted().toList())
            + ", or a 4xx/5xx status code");
      }
    }
  }

  private static void healthCheck(String field, HealthCheck hc) {
    if (hc.protocol() != null && !Set.of("http", "tcp", "grpc").contains(hc.protocol())) {
      throw new InvalidSpecException(field + ".protocol", "protocol must be one of http, tcp, grpc");
    }
    if (hc.path() != null && (!hc.path().startsWith("/") || hc.path().length() > MAX_TEXT)) {
      throw new InvalidSpecException(field + ".path", "path must start with '/' and be at most " + MAX_TEXT + " characters");
    }
    range(field + ".intervalSeconds", hc.intervalSeconds(), 1, 300);
    range(field + ".timeoutSeconds", hc.timeoutSeconds(), 1, 300);
    if (hc.intervalSeconds() != null && hc.timeoutSeconds() != null
        && hc.timeoutSeconds() > hc.intervalSeconds()) {
      throw new InvalidSpecException(field + ".timeoutSeconds", "timeoutSeconds must not exceed intervalSeconds");
    }
    range(field + ".healthyThreshold", hc.healthyThreshold(), 1, 10);
    range(field + ".unhealthyThreshold", hc.unhealthyThreshold(), 1, 10);
  }

  private static void port(String field, int port) {
    if (port < 1 || port > 65535) {
      throw new InvalidSpecException(field, field + " must be between 1 and 65535, was " + port);
    }
  }

  static void range(String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw new InvalidSpecException(field, field + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static void required(String field, Object value) {
    if (value == null) {
      throw new InvalidSpecException(field, field + " is required");
    }
  }

  private static void text(String field, String value) {
    if (value != null && value.length() > MAX_TEXT) {
      throw new InvalidSpecException(field, field + " must be at most " + MAX_TEXT + " characters");
    }
  }
}
