package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The ECS agent's introspection API on 127.0.0.1:51678 of the host (ecs-agent/introspection/v1/handlers):
 * {@code GET /v1/metadata}; {@code GET /v1/tasks}, every task the agent still holds, stopped ones too;
 * {@code ?taskarn=ARN} or {@code ?dockerid=ID} (a 12-character or shorter ID is a prefix) for one, 404 with an
 * empty task when there is none, 400 when both are given or a short ID matches several tasks.
 */
final class IntrospectionServer implements AutoCloseable {
  private final HttpServer server;
  private final Tasks tasks;
  private final String cluster;
  private final String containerInstanceArn;

  IntrospectionServer(int port, Tasks tasks, String cluster, String containerInstanceArn) {
    this.tasks = tasks;
    this.cluster = cluster;
    this.containerInstanceArn = containerInstanceArn;
    this.server = Http.serve("127.0.0.1", port, this::handle, "introspection");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!exchange.getRequestMethod().equals("GET")) {
      Http.text(exchange, 405, "");
    } else if (path.equals("/v1/metadata")) {
      Http.json(exchange, 200, IntrospectionJson.metadata(cluster, containerInstanceArn));
    } else if (path.equals("/v1/tasks")) {
      tasks(exchange, Http.query(exchange));
    } else {
      Http.notFound(exchange);
    }
  }

  private void tasks(HttpExchange exchange, Map<String, String> query) throws IOException {
    String arn = query.get("taskarn");
    String dockerId = query.get("dockerid");
    if (arn != null && dockerId != null) {
      Http.json(exchange, 400, IntrospectionJson.emptyTask());
      return;
    }
    if (arn == null && dockerId == null) {
      Http.json(exchange, 200, IntrospectionJson.tasks(tasks.all()));
      return;
    }
    List<EcsTask> found = arn != null ? tasks.byArn(arn).stream().toList() : tasks.byDockerId(dockerId);
    if (found.size() > 1) {
      Http.json(exchange, 400, IntrospectionJson.emptyTask());
    } else if (found.isEmpty()) {
      Http.json(exchange, 404, IntrospectionJson.emptyTask());
    } else {
      EcsTask t = found.get(0);
      JsonNode body;
      synchronized (t) {
        body = IntrospectionJson.task(t);
      }
      Http.json(exchange, 200, body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
