package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A container definition's {@code healthCheck}, with ECS's defaults (interval 30 s, timeout 5 s, 3 retries,
 * no start period). ECS hands it to Docker as the container's HEALTHCHECK; Docker runs the probe inside the
 * container. The bounds RegisterTaskDefinition enforces (interval at least 5 s, ...) are not: tests run
 * faster probes than ECS would accept.
 */
record HealthCheck(List<String> command, Duration interval, Duration timeout, int retries, Duration startPeriod) {

  static HealthCheck parse(JsonNode h) {
    List<String> command = ImageTable.strings(h.get("command"));
    if (command.isEmpty() || !(command.get(0).equals("CMD") || command.get(0).equals("CMD-SHELL"))) {
      throw new IllegalArgumentException("ClientException: healthCheck.command must start with CMD or CMD-SHELL: " + command);
    }
    if (command.get(0).equals("CMD-SHELL") && command.size() != 2) {
      throw new IllegalArgumentException("ClientException: CMD-SHELL takes one command string: " + command);
    }
    return new HealthCheck(command, Duration.ofSeconds(h.path("interval").asInt(30)),
        Duration.ofSeconds(h.path("timeout").asInt(5)), h.path("retries").asInt(3),
        Duration.ofSeconds(h.path("startPeriod").asInt(0)));
  }

  /** The probe's argv inside the container: CMD runs its arguments, CMD-SHELL its string with {@code /bin/sh -c}. */
  List<String> probe() {
    List<String> argv = new ArrayList<>();
    if (command.get(0).equals("CMD-SHELL")) {
      argv.addAll(List.of("/bin/sh", "-c", command.get(1)));
    } else {
      argv.addAll(command.subList(1, command.size()));
    }
    return argv;
  }
}
