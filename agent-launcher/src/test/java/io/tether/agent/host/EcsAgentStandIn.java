package io.tether.agent.host;

import com.sun.net.httpserver.HttpServer;
import io.tether.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the ECS agent's introspection API on 127.0.0.1: {@code GET /v1/tasks} in the shape of
 * amazon-ecs-agent's {@code ecs-agent/introspection/v1} {@code TasksResponse} ({@code Arn},
 * {@code DesiredStatus}, {@code KnownStatus}, {@code Family}, {@code Version}, {@code Containers} with
 * {@code DockerId}, {@code DockerName}, {@code Name}), the tasks being whatever the test says runs.
 */
final class EcsAgentStandIn implements AutoCloseable {
  private final Map<String, String> knownStatus = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  EcsAgentStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/v1/tasks", exchange -> {
      byte[] body = Json.write(Map.of("Tasks", tasks()));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** ECS runs this task (KnownStatus RUNNING). */
  void running(String taskId) {
    knownStatus.put(taskId, "RUNNING");
  }

  /** ECS stopped this task and still lists it, as it does for a while. */
  void stopped(String taskId) {
    knownStatus.put(taskId, "STOPPED");
  }

  /** ECS no longer lists this task. */
  void forget(String taskId) {
    knownStatus.remove(taskId);
  }

  private List<Map<String, Object>> tasks() {
    List<Map<String, Object>> tasks = new ArrayList<>();
    knownStatus.forEach((id, status) -> {
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("Arn", "arn:aws:ecs:eu-west-1:012345678910:task/default/" + id);
      task.put("DesiredStatus", status);
      task.put("KnownStatus", status);
      task.put("Family", "web");
      task.put("Version", "3");
      task.put("Containers", List.of(Map.of("DockerId", "0123456789ab" + id.hashCode(),
          "DockerName", "ecs-web-3-app-" + id, "Name", "app")));
      tasks.add(task);
    });
    return tasks;
  }

  /** The ECS agent goes away (a restart, a crash); closing again changes nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
    }
  }
}
