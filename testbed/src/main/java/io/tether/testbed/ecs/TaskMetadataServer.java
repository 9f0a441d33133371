package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.Optional;

/**
 * The task metadata endpoint on 169.254.170.2:80 of the host, an address on the host's loopback: host-mode
 * containers reach it directly, bridge containers through their default gateway, the host. v4 and v3
 * ({@code ECS_CONTAINER_METADATA_URI_V4} and {@code ECS_CONTAINER_METADATA_URI} name a container's endpoint
 * ID): {@code GET /vN/ID} the container, {@code GET /vN/ID/task} its task. An unknown ID gets 404 with the
 * agent's message as a JSON string; stats, tags and the other paths get 404.
 */
final class TaskMetadataServer implements AutoCloseable {
  static final String ADDRESS = "169.254.170.2";

  private final HttpServer server;
  private final Tasks tasks;
  private final TaskMetadataJson.Instance instance;

  TaskMetadataServer(Tasks tasks, TaskMetadataJson.Instance instance) {
    this.tasks = tasks;
    this.instance = instance;
    this.server = Http.serve(ADDRESS, 80, this::handle, "task-metadata");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().split("/");
    // "/v4/ID" -> ["", "v4", "ID"]; "/v4/ID/task" -> ["", "v4", "ID", "task"]
    boolean versioned = parts.length >= 3 && (parts[1].equals("v4") || parts[1].equals("v3"));
    boolean task = parts.length == 4 && parts[3].equals("task");
    if (!exchange.getRequestMethod().equals("GET") || !versioned || !(parts.length == 3 || task)) {
      Http.notFound(exchange);
      return;
    }
    boolean v4 = parts[1].equals("v4");
    Optional<Tasks.Found> found = tasks.byEndpoint(parts[2]);
    if (found.isEmpty()) {
      Http.jsonString(exchange, 404, TaskMetadataJson.notFound(parts[2], task));
      return;
    }
    EcsTask t = found.get().task();
    JsonNode body;
    synchronized (t) {
      body = task ? TaskMetadataJson.task(t, instance, v4) : TaskMetadataJson.container(t, found.get().container(), v4);
    }
    Http.json(exchange, 200, body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
