package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code containerDefinitions[]} entry of an ECS task definition, the fields the emulation runs
 * (ContainerDefinition in the ECS API reference). Lists the definition leaves out are empty; a missing
 * {@code entryPoint} or {@code command} is null, because Docker tells "not given" from "given empty".
 */
record ContainerDefinition(String name, String image, boolean essential, List<String> entryPoint, List<String> command,
    Map<String, String> environment, List<Secret> secrets, List<PortMapping> portMappings, List<DependsOn> dependsOn,
    HealthCheck healthCheck, Integer stopTimeout, Integer startTimeout, List<String> dnsServers,
    List<String> dnsSearchDomains, List<ExtraHost> extraHosts, String hostname, List<MountPoint> mountPoints, int cpu,
    int memory, Map<String, String> dockerLabels, String logDriver, Map<String, String> logOptions,
    String workingDirectory, List<String> links, List<String> ignoredFields) {

  /** The fields read here; any other field of a definition is reported as not emulated. */
  private static final Set<String> READ = Set.of("name", "image", "essential", "entryPoint", "command", "environment",
      "secrets", "portMappings", "dependsOn", "healthCheck", "stopTimeout", "startTimeout", "dnsServers",
      "dnsSearchDomains", "extraHosts", "hostname", "mountPoints", "cpu", "memory", "memoryReservation", "dockerLabels",
      "logConfiguration", "workingDirectory", "links");

  record Secret(String name, String valueFrom) {}

  record PortMapping(int containerPort, int hostPort, String protocol) {}

  record DependsOn(String containerName, String condition) {}

  record ExtraHost(String hostname, String ipAddress) {}

  record MountPoint(String sourceVolume, String containerPath, boolean readOnly) {}

  static ContainerDefinition parse(JsonNode c) {
    String name = text(c, "name");
    String image = text(c, "image");
    if (name == null || image == null) {
      throw new IllegalArgumentException("ClientException: every container definition needs a name and an image: " + c);
    }
    JsonNode log = c.path("logConfiguration");
    return new ContainerDefinition(name, image, !c.has("essential") || c.get("essential").asBoolean(),
        c.hasNonNull("entryPoint") ? ImageTable.strings(c.get("entryPoint")) : null,
        c.hasNonNull("command") ? ImageTable.strings(c.get("command")) : null,
        nameValues(c.path("environment")), list(c, "secrets", s -> new Secret(text(s, "name"), text(s, "valueFrom"))),
        list(c, "portMappings", p -> new PortMapping(p.path("containerPort").asInt(), p.path("hostPort").asInt(0),
            p.path("protocol").asText("tcp"))),
        dependsOn(c),
        c.hasNonNull("healthCheck") ? HealthCheck.parse(c.get("healthCheck")) : null,
        c.hasNonNull("stopTimeout") ? c.get("stopTimeout").asInt() : null,
        c.hasNonNull("startTimeout") ? c.get("startTimeout").asInt() : null,
        ImageTable.strings(c.get("dnsServers")), ImageTable.strings(c.get("dnsSearchDomains")),
        list(c, "extraHosts", h -> new ExtraHost(text(h, "hostname"), text(h, "ipAddress"))), text(c, "hostname"),
        list(c, "mountPoints", m -> new MountPoint(text(m, "sourceVolume"), text(m, "containerPath"),
            m.path("readOnly").asBoolean(false))),
        c.path("cpu").asInt(0), c.path("memory").asInt(0), strings(c.path("dockerLabels")),
        log.hasNonNull("logDriver") ? log.get("logDriver").asText() : null, strings(log.path("options")),
        text(c, "workingDirectory"), ImageTable.strings(c.get("links")), ignored(c));
  }

  /** Its {@code dependsOn}, and a START dependency on each container it links to, as the agent adds them. */
  private static List<DependsOn> dependsOn(JsonNode c) {
    List<DependsOn> out = new ArrayList<>(list(c, "dependsOn", d -> new DependsOn(text(d, "containerName"),
        d.path("condition").asText("START"))));
    for (String link : ImageTable.strings(c.get("links"))) {
      String[] parts = link.split(":");
      if (parts.length > 2) {
        throw new IllegalArgumentException("ClientException: invalid link format " + link);
      }
      out.add(new DependsOn(parts[0], "START"));
    }
    return List.copyOf(out);
  }

  /** Health is reported for a container only when its definition has a health check (Docker's). */
  boolean hasHealthCheck() {
    return healthCheck != null;
  }

  private static List<String> ignored(JsonNode c) {
    List<String> out = new ArrayList<>();
    c.fieldNames().forEachRemaining(f -> {
      if (!READ.contains(f)) {
        out.add(f);
      }
    });
    return List.copyOf(out);
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, String> nameValues(JsonNode array) {
    Map<String, String> out = new LinkedHashMap<>();
    array.forEach(e -> out.put(e.path("name").asText(), e.path("value").asText()));
    return out;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static <T> List<T> list(JsonNode c, String field, java.util.function.Function<JsonNode, T> each) {
    List<T> out = new ArrayList<>();
    c.path(field).forEach(n -> out.add(each.apply(n)));
    return List.copyOf(out);
  }
}
