package io.tether.agent.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.client.ServerCa;
import io.tether.client.cli.ServerUrl;
import io.tether.model.Names;
import io.tether.model.json.Json;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link EcsSettings} from the sidecar container's environment, strictly: a missing or malformed
 * variable throws {@link IllegalArgumentException} whose message names it and says what to set, so
 * that the task stops at once with one clear line rather than half-joining the mesh.
 */
public final class EcsEnvironment {
  private static final Set<String> SERVICE_FIELDS = Set.of("discoveryName", "container", "appPort", "ingressPort");
  private static final String EXAMPLE = "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,"
      + "\"ingressPort\":15000}]";

  private final Map<String, String> env;

  private EcsEnvironment(Map<String, String> env) {
    this.env = env;
  }

  /** @throws IllegalArgumentException naming the first variable that is missing or wrong */
  public static EcsSettings read(Map<String, String> env) {
    return new EcsEnvironment(env).settings();
  }

  private EcsSettings settings() {
    URI metadata = metadataUri();
    String namespace = required("TETHER_NAMESPACE", "the Tether namespace the task joins, e.g. prod");
    if (!Names.isLabel(namespace)) {
      throw new IllegalArgumentException("TETHER_NAMESPACE='" + namespace + "' is not a namespace name: set it to a "
          + "DNS label (lower-case letters, digits and '-', at most 63)");
    }
    int admin = optionalPort("TETHER_ADMIN_PORT", 9901);
    MetricsEndpoint.Settings metrics = new MetricsEndpoint.Settings(
        value("TETHER_METRICS_ADDRESS") == null ? MetricsEndpoint.Settings.DEFAULT_ADDRESS : value("TETHER_METRICS_ADDRESS"),
        number("TETHER_METRICS_PORT", MetricsEndpoint.Settings.DEFAULT_PORT, 0, 65535), value("TETHER_METRICS_PORT") != null);
    List<EcsService> services = services(admin);
    metrics = metrics.avoiding("TETHER_METRICS_PORT", portsInUse(services, admin));
    HostPort hostAgent = value("TETHER_HOST_AGENT") == null ? null : HostPort.parse("TETHER_HOST_AGENT", value("TETHER_HOST_AGENT"));
    EcsSettings.Direct direct = direct();
    if (direct != null && hostAgent != null) {
      throw new IllegalArgumentException("TETHER_HOST_AGENT and TETHER_SERVER are both set: an awsvpc task "
          + "talks to the control plane itself (keep TETHER_SERVER), any other through the host agent "
          + "(keep TETHER_HOST_AGENT)");
    }
    return new EcsSettings(metadata, namespace, services, hostAgent, direct, admin,
        Duration.ofSeconds(number("TETHER_DRAIN_SECONDS", 5, 0, 3600)),
        number("TETHER_LEASE_TTL", 10, 2, 3600),
        Duration.ofMillis(number("TETHER_METADATA_POLL_MS", 1000, 100, 60_000)), metrics,
        io.tether.agent.registry.EndpointLabels.parseList("TETHER_LABELS", value("TETHER_LABELS")));
  }

  private URI metadataUri() {
    String value = value("ECS_CONTAINER_METADATA_URI_V4");
    if (value == null) {
      throw new IllegalArgumentException("ECS_CONTAINER_METADATA_URI_V4 is not set: the ECS agent sets it in every "
          + "container of a task (agent 1.39.0 or later); tether agent ecs-task runs as the tether-sidecar "
          + "container of an ECS task");
    }
    URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("ECS_CONTAINER_METADATA_URI_V4='" + value + "' is not an http:// URL");
    }
    return uri;
  }

  private List<EcsService> services(int adminPort) {
    String text = required("TETHER_SERVICES", "a JSON list of what the task serves, e.g. " + EXAMPLE);
    JsonNode list;
    try {
      list = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("TETHER_SERVICES is not JSON (" + e.getOriginalMessage() + "): set it to "
          + "e.g. " + EXAMPLE);
    }
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("TETHER_SERVICES must be a non-empty JSON list, e.g. " + EXAMPLE);
    }
    List<EcsService> services = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      services.add(service("TETHER_SERVICES[" + i + "]", list.get(i)));
    }
    checkPorts(services, adminPort);
    return services;
  }

  private static EcsService service(String where, JsonNode item) {
    if (!item.isObject()) {
      throw new IllegalArgumentException(where + " must be an object, e.g. " + EXAMPLE);
    }
    for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SERVICE_FIELDS.contains(name)) {
        throw new IllegalArgumentException(where + " has an unknown field '" + name + "': the fields are "
            + "discoveryName, container, appPort and ingressPort");
      }
    }
    String name = text(where, item, "discoveryName");
    if (!Names.isLabel(name)) {
      throw new IllegalArgumentException(where + ".discoveryName '" + name + "' is not a discovery name: a DNS label "
          + "(lower-case letters, digits and '-', at most 63)");
    }
    return new EcsService(name, text(where, item, "container"), jsonPort(where, item, "appPort"),
        jsonPort(where, item, "ingressPort"));
  }

  /** The ports the sidecar's Envoy and the apps use, and whose each is: the metrics endpoint needs another. */
  private static Map<Integer, String> portsInUse(List<EcsService> services, int adminPort) {
    Map<Integer, String> used = new HashMap<>(Map.of(adminPort, "TETHER_ADMIN_PORT"));
    for (EcsService s : services) {
      used.putIfAbsent(s.ingressPort(), "the ingressPort of " + s.discoveryName());
      used.putIfAbsent(s.appPort(), "the appPort of " + s.discoveryName());
    }
    return used;
  }

  /** Ports that would collide in the sidecar: Envoy binds each ingress port, its admin port, and (bridge) 127.0.0.1:appPort. */
  private static void checkPorts(List<EcsService> services, int adminPort) {
    Set<String> names = new HashSet<>();
    Map<Integer, String> taken = new HashMap<>(Map.of(adminPort, "TETHER_ADMIN_PORT"));
    for (EcsService s : services) {
      if (!names.add(s.discoveryName())) {
        throw new IllegalArgumentException("TETHER_SERVICES lists discoveryName '" + s.discoveryName() + "' twice");
      }
      String clash = taken.putIfAbsent(s.ingressPort(), "the ingressPort of " + s.discoveryName());
      if (clash != null) {
        throw new IllegalArgumentException("TETHER_SERVICES: the ingressPort " + s.ingressPort() + " of "
            + s.discoveryName() + " is also " + clash + ": give each service an ingress port of its own");
      }
    }
    Map<Integer, String> appContainers = new HashMap<>();
    for (EcsService s : services) {
      String clash = taken.get(s.appPort());
      String other = appContainers.putIfAbsent(s.appPort(), s.container());
      if (clash != null || (other != null && !other.equals(s.container()))) {
        throw new IllegalArgumentException("TETHER_SERVICES: the appPort " + s.appPort() + " of " + s.discoveryName()
            + " is also " + (clash != null ? clash : "the appPort of container " + other)
            + ": the sidecar's Envoy and the apps share these ports on the loopback");
      }
    }
  }

  /**
   * An awsvpc task's control plane: {@code TETHER_SERVER} (HOST:PORT or an http(s) URL, as {@code --server};
   * {@code TETHER_CONTROL_PLANE} is its old name), the token, and {@code TETHER_XDS} or (null) what the
   * control plane advertises.
   */
  private EcsSettings.Direct direct() {
    String server = serverVariable();
    String token = value("TETHER_TOKEN");
    String xds = value("TETHER_XDS");
    if (server == null) {
      for (String direct : List.of("TETHER_TOKEN", "TETHER_XDS", "TETHER_SERVER_CA", "TETHER_XDS_CA")) {
        if (value(direct) != null) {
          throw new IllegalArgumentException(direct + " is set but TETHER_SERVER is not: an awsvpc task needs "
              + "TETHER_SERVER (the REST API, e.g. tether.internal:8700) and TETHER_TOKEN; a bridge or host task "
              + "reaches the control plane through the host agent, whose config holds these");
        }
      }
      return null;
    }
    URI uri = URI.create(ServerUrl.parse(server, value(server)));
    if (token == null) {
      throw new IllegalArgumentException("TETHER_TOKEN is not set: an awsvpc task needs the namespace's agent token, "
          + "from the task definition's secrets (Secrets Manager or SSM)");
    }
    return new EcsSettings.Direct(uri, xds == null ? null : HostPort.parse("TETHER_XDS", xds), token.strip(),
        caFile("TETHER_SERVER_CA"), caFile("TETHER_XDS_CA"));
  }

  /** A PEM CA file named by the variable, read now so that a bad one stops the task naming it; null when unset. */
  private Path caFile(String variable) {
    String v = value(variable);
    if (v == null) {
      return null;
    }
    Path file = Path.of(v.strip()).toAbsolutePath(); // the bootstrap names it for an Envoy of another working dir
    ServerCa.load(variable, file);
    return file;
  }

  /** Which of TETHER_SERVER and its old name TETHER_CONTROL_PLANE is set, or null; both is an error. */
  private String serverVariable() {
    boolean current = value("TETHER_SERVER") != null;
    boolean old = value("TETHER_CONTROL_PLANE") != null;
    if (current && old) {
      throw new IllegalArgumentException("TETHER_SERVER and TETHER_CONTROL_PLANE are both set: TETHER_CONTROL_PLANE "
          + "is the old name of TETHER_SERVER, keep one of them");
    }
    return current ? "TETHER_SERVER" : old ? "TETHER_CONTROL_PLANE" : null;
  }

  static int port(String what, String text) {
    try {
      int port = Integer.parseInt(text.strip());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(what + "='" + text + "' is not a port number: set it to 1-65535");
  }

  private int optionalPort(String variable, int fallback) {
    return value(variable) == null ? fallback : port(variable, value(variable));
  }

  private int number(String variable, int fallback, int min, int max) {
    String text = value(variable);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(variable + "='" + text + "': set it to a whole number from " + min + " to "
        + max + " (default " + fallback + ")");
  }

  private String required(String variable, String what) {
    String v = value(variable);
    if (v == null) {
      throw new IllegalArgumentException(variable + " is not set: set it to " + what);
    }
    return v;
  }

  /** The variable's value; unset and blank are the same: ECS passes an empty value for a variable left empty. */
  private String value(String variable) {
    String v = env.get(variable);
    return v == null || v.isBlank() ? null : v;
  }

  private static String text(String where, JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " is required: a string");
    }
    return v.asText();
  }

  private static int jsonPort(String where, JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || !v.isInt() || v.asInt() < 1 || v.asInt() > 65535) {
      throw new IllegalArgumentException(where + "." + field + " is required: a port number (1-65535)");
    }
    return v.asInt();
  }
}
