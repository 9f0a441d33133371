package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a container's {@code portMappings}, read for what the sidecar needs.
 *
 * @param name null when unnamed
 * @param containerPort null for a {@code containerPortRange} mapping
 * @param hostPort null or 0 when ECS picks one (bridge mode's dynamic ports)
 * @param protocol tcp (ECS's default) or udp
 * @param appProtocol null when unset: plain TCP to ECS Service Connect and to Tether
 */
record PortMapping(String container, int index, String name, Integer containerPort, Integer hostPort,
    String protocol, String appProtocol) {

  static PortMapping read(String container, int index, JsonNode node) {
    String where = where(container, index);
    if (!node.isObject()) {
      throw new InjectException(where + " must be an object");
    }
    return new PortMapping(container, index, text(node, "name", where), number(node, "containerPort", where),
        number(node, "hostPort", where), node.path("protocol").asText("tcp"), text(node, "appProtocol", where));
  }

  /** {@code container 'app' portMappings[0]}, and its name when it has one. */
  String where() {
    return where(container, index) + (name == null ? "" : " ('" + name + "')");
  }

  static String where(String container, int index) {
    return "container '" + container + "' portMappings[" + index + "]";
  }

  boolean staticHostPort() {
    return hostPort != null && hostPort != 0;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InjectException(where + "." + field + " must be a string");
    }
    return value.asText();
  }

  private static Integer number(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new InjectException(where + "." + field + " must be a whole number");
    }
    return value.asInt();
  }
}
