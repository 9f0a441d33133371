package io.tether.bench;

import com.sun.net.httpserver.HttpServer;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ECS agent's introspection API as the host agent reads it every second ({@code GET /v1/tasks}, in
 * the shape of amazon-ecs-agent's {@code TasksResponse}, as the host agent's own tests' stand-in answers):
 * every task of the run RUNNING, so the host agent's sweep judges each of them and deletes none.
 */
final class TaskIntrospection implements AutoCloseable {
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final HttpServer server;

  TaskIntrospection() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/tasks", exchange -> {
      byte[] body = Json.write(Map.of("Tasks", running.stream().map(TaskIntrospection::task).toList()));
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

  static String arn(String taskId) {
    return "arn:aws:ecs:eu-west-1:012345678910:task/bench/" + taskId;
  }

  void running(String taskId) {
    running.add(taskId);
  }

  private static Map<String, Object> task(String id) {
    return Map.of("Arn", arn(id), "DesiredStatus", "RUNNING", "KnownStatus", "RUNNING", "Family", "web",
        "Version", "1", "Containers", List.of(Map.of("DockerId", Integer.toHexString(id.hashCode()),
            "DockerName", "ecs-web-1-app-" + id, "Name", "app")));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
