package io.tether.agent.inject;

import io.tether.model.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves each {@code --service} against the task definition: the container, its named port mapping,
 * and the discovery name, refusing what would serve the wrong thing or nothing. Ingress ports are
 * chosen afterwards ({@link PortPlan}).
 *
 * <p>The appProtocol rule. A port mapping without {@code appProtocol} is plain TCP to ECS Service
 * Connect, and a Tether service without one is plain TCP too: no per-request timeout, no retries, no
 * HTTP routing. Nothing tells inject what a port really speaks but the operator, so it refuses only
 * the classic mistake it can see: a served port mapping whose name announces HTTP or gRPC (one of its
 * '-' or '_' separated words is http, http2, h2, h2c or grpc; not https, which is TLS and right as TCP)
 * yet has no appProtocol. Host network mode is exempt: ECS accepts appProtocol only in awsvpc and
 * bridge modes. A set appProtocol must be one of ECS's values (http, http2, grpc).
 */
final class ServedServices {
  private ServedServices() {}

  private static final Set<String> APP_PROTOCOLS = Set.of("http", "http2", "grpc");
  private static final Set<String> HTTP_WORDS = Set.of("http", "http2", "h2", "h2c", "grpc");

  /** The resolved services, in the order given, with ingress ports still as requested (0: to choose). */
  static List<SidecarService> resolve(TaskDefinition task, List<ServiceRequest> requests) {
    List<SidecarService> out = new ArrayList<>();
    Map<String, ServiceRequest> byDiscoveryName = new HashMap<>();
    for (ServiceRequest request : requests) {
      PortMapping mapping = mapping(task, request);
      checkAppProtocol(task.networkMode, request, mapping);
      String discoveryName = request.discoveryName() != null ? request.discoveryName() : request.portName();
      if (!Names.isLabel(discoveryName)) {
        throw new InjectException(request.arg() + ": discovery name '" + discoveryName + "'"
            + (request.discoveryName() == null ? " (the port name)" : "") + " is not a DNS label (lower-case "
            + "letters, digits and '-', at most 63): give one, e.g. --service " + request.container() + ":"
            + request.portName() + ":" + label(discoveryName));
      }
      ServiceRequest earlier = byDiscoveryName.putIfAbsent(discoveryName, request);
      if (earlier != null) {
        throw new InjectException(request.arg() + " and " + earlier.arg() + " both serve discovery name '"
            + discoveryName + "': give one of them another DISCOVERYNAME");
      }
      out.add(new SidecarService(request, mapping, discoveryName,
          request.ingressPort() == null ? 0 : request.ingressPort()));
    }
    return out;
  }

  private static PortMapping mapping(TaskDefinition task, ServiceRequest request) {
    if (task.container(request.container()) == null) {
      throw new InjectException(request.arg() + ": there is no container named '" + request.container()
          + "' (the task's containers: " + String.join(", ", task.containerNames()) + ")");
    }
    List<PortMapping> mappings = task.portMappings(request.container());
    PortMapping mapping = mappings.stream().filter(m -> request.portName().equals(m.name())).findFirst().orElse(null);
    if (mapping == null) {
      String named = mappings.stream().map(PortMapping::name).filter(n -> n != null).collect(Collectors.joining(", "));
      throw new InjectException(request.arg() + ": container '" + request.container() + "' has no port mapping named '"
          + request.portName() + "' (" + (named.isEmpty()
              ? "none of its port mappings has a name: add \"name\": \"" + request.portName() + "\" to the one to serve"
              : "its named port mappings: " + named) + ")");
    }
    if (mapping.containerPort() == null) {
      throw new InjectException(request.arg() + ": " + mapping.where() + " has no containerPort (a port range "
          + "cannot be served): name a mapping of one containerPort");
    }
    if (!mapping.protocol().equals("tcp")) {
      throw new InjectException(request.arg() + ": " + mapping.where() + " is " + mapping.protocol()
          + ": the sidecar proxies tcp only");
    }
    return mapping;
  }

  private static void checkAppProtocol(NetworkMode mode, ServiceRequest request, PortMapping mapping) {
    String appProtocol = mapping.appProtocol();
    if (appProtocol != null && !APP_PROTOCOLS.contains(appProtocol)) {
      throw new InjectException(request.arg() + ": " + mapping.where() + ".appProtocol '" + appProtocol
          + "' is not one of ECS's http, http2, grpc");
    }
    if (appProtocol == null && mode != NetworkMode.HOST && namesHttp(mapping.name())) {
      throw new InjectException(request.arg() + ": " + mapping.where() + " has no appProtocol, yet its name says "
          + "HTTP. Without one it is plain TCP to ECS, and a Tether service declared the same way gets no "
          + "per-request timeout, retries or HTTP routing: set \"appProtocol\" to http, http2 or grpc here, "
          + "and the same on the Tether service");
    }
  }

  static boolean namesHttp(String portName) {
    for (String word : portName.toLowerCase(Locale.ROOT).split("[-_]")) {
      if (HTTP_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** A DNS label made from a name, to suggest in a message. */
  static String label(String name) {
    String label = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    label = label.length() > Names.MAX_LABEL ? label.substring(0, Names.MAX_LABEL).replaceAll("-+$", "") : label;
    return label.isEmpty() ? "svc" : label;
  }
}
