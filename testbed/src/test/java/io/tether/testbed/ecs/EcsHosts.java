package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import io.tether.testbed.NetnsHosts;
import io.tether.testbed.SampleApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two test hosts, {@code e1} with an emulated ECS instance and {@code e2} without, and the images the tests
 * run: {@code sample-app} ({@link SampleApp} on 0.0.0.0:8080) and {@code bash} (entrypoint {@code bash -c}: the
 * definition's {@code command} is the script). Root and network namespaces are prerequisites: without them the
 * tests fail, unless TETHER_TESTS_WITHOUT_NETNS is set.
 */
final class EcsHosts implements AutoCloseable {
  static final String APP_IMAGE = "sample-app";
  static final String BASH_IMAGE = "bash";
  /** A container that answers SIGTERM at once: bash as PID 1 with a trap, waiting on a child. */
  static final String IDLE = "trap 'exit 0' TERM; sleep infinity & wait $!";

  final NetnsHosts net;
  final Path dir;
  final Path images;
  final EmulatedEcs ecs;

  EcsHosts(String name, Map<String, String> secrets, EmulatedEcs.Options options) {
    Prerequisites.testHosts(EmulatedEcs.unavailable());
    dir = TestChildren.tempDir("ecs-" + name);
    images = writeImages(dir);
    net = new NetnsHosts(List.of("e1", "e2"));
    try {
      ecs = EmulatedEcs.start(net, net.host("e1"), images, secrets, options.withWorkDir(dir.resolve("e1")));
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  static Path writeImages(Path dir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ObjectNode table = GoJson.object();
    ObjectNode app = table.putObject(APP_IMAGE);
    app.putArray("entrypoint").add(java).add("-Xmx48m").add("-XX:+UseSerialGC").add("-XX:TieredStopAtLevel=1")
        .add("-Xss512k").add("-cp").add(System.getProperty("java.class.path")).add(SampleApp.class.getName());
    app.putArray("cmd").add("app").add("8080").add("0.0.0.0");
    table.putObject(BASH_IMAGE).putArray("entrypoint").add(Commands.BASH).add("-c");
    try {
      Path file = dir.resolve("images.json");
      GoJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), table);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  NetnsHosts.Host e1() {
    return net.host("e1");
  }

  NetnsHosts.Host e2() {
    return net.host("e2");
  }

  /** The first line {@code [container] PREFIX...} of the stand-in's log, waited for; what follows the prefix. */
  String awaitLine(String container, String prefix, Duration timeout) {
    Pattern p = Pattern.compile("^\\[" + Pattern.quote(container) + "\\] " + Pattern.quote(prefix) + "(.*)$", Pattern.MULTILINE);
    String[] found = new String[1];
    Poll.until(timeout, () -> {
      Matcher m = p.matcher(ecs.logText());
      if (m.find()) {
        found[0] = m.group(1);
        return true;
      }
      return false;
    }, () -> "[" + container + "] " + prefix + "... in the stand-in's log:\n" + ecs.logText());
    return found[0];
  }

  static JsonNode container(JsonNode task, String name) {
    for (JsonNode c : task.path("containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name + " in " + task);
  }

  static Optional<JsonNode> metadataContainer(JsonNode metadataTask, String name) {
    for (JsonNode c : metadataTask.path("Containers")) {
      if (c.path("Name").asText().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Waits until the task's {@code lastStatus} is {@code status}. */
  JsonNode await(String taskId, String status, Duration timeout) {
    return ecs.awaitTask(taskId, t -> t.path("lastStatus").asText().equals(status), timeout, status);
  }

  @Override
  public void close() {
    try {
      if (ecs != null) {
        ecs.close();
      }
    } finally {
      net.close();
    }
  }
}
