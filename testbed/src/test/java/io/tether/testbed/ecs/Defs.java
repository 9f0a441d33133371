package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Task definitions for the tests, built as ECS JSON (the shape {@code tether agent inject} prints). */
final class Defs {
  private Defs() {}

  static ObjectNode task(String family, String networkMode, ObjectNode... containers) {
    ObjectNode td = GoJson.object().put("family", family).put("networkMode", networkMode);
    ArrayNode list = td.putArray("containerDefinitions");
    for (ObjectNode c : containers) {
      list.add(c);
    }
    return td;
  }

  /** The sample app (HTTP on 0.0.0.0:8080, {@code ok} on /health) named {@code name}, answering {@code answer}. */
  static ObjectNode app(String name, String answer) {
    ObjectNode c = GoJson.object().put("name", name).put("image", EcsHosts.APP_IMAGE).put("essential", true);
    c.putArray("command").add(answer).add("8080").add("0.0.0.0");
    return c;
  }

  /** A container of the bash image running {@code script} as PID 1. */
  static ObjectNode bash(String name, String script) {
    ObjectNode c = GoJson.object().put("name", name).put("image", EcsHosts.BASH_IMAGE).put("essential", true);
    c.putArray("command").add(script);
    return c;
  }

  static ObjectNode port(ObjectNode c, int containerPort, int hostPort) {
    ObjectNode m = c.withArray("portMappings").addObject().put("containerPort", containerPort).put("protocol", "tcp");
    if (hostPort != 0) {
      m.put("hostPort", hostPort);
    }
    return c;
  }

  static ObjectNode dependsOn(ObjectNode c, String container, String condition) {
    c.withArray("dependsOn").addObject().put("containerName", container).put("condition", condition);
    return c;
  }

  /** A CMD-SHELL health check ({@code /bin/sh -c}) every {@code interval} s, 2 s timeout, no start period. */
  static ObjectNode shellCheck(ObjectNode c, String shell, int interval, int retries) {
    ObjectNode h = c.putObject("healthCheck").put("interval", interval).put("timeout", 2).put("retries", retries);
    h.putArray("command").add("CMD-SHELL").add(shell);
    return c;
  }

  /** A CMD health check asking the app's {@code /health} with bash's /dev/tcp inside the container. */
  static ObjectNode httpCheck(ObjectNode c, int port, int interval, int retries) {
    ObjectNode h = c.putObject("healthCheck").put("interval", interval).put("timeout", 2).put("retries", retries);
    h.putArray("command").add("CMD").add(Commands.BASH).add("-c").add("exec 3<>/dev/tcp/127.0.0.1/" + port
        + " && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3");
    return c;
  }

  static ObjectNode essential(ObjectNode c, boolean essential) {
    return c.put("essential", essential);
  }

  static ObjectNode stopTimeout(ObjectNode c, int seconds) {
    return c.put("stopTimeout", seconds);
  }
}
