package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The test's handle on the emulated instance, on the host's own address (the test runs outside the host's
 * namespace): what ECS's control plane and a failing machine would do to it.
 * <pre>
 * GET  /control/ready                               200 {"pid"}: the stand-in serves
 * POST /control/tasks {taskDefinition, cluster?}   200 {"taskArn", "taskId"}; 400 {"error"} (ClientException)
 * GET  /control/tasks                               {"tasks": [TASK...]}
 * GET  /control/tasks/ID                            TASK (see {@link ControlJson})
 * POST /control/tasks/ID/stop {reason?}             StopTask
 * POST /control/tasks/ID/kill                       every container SIGKILLed at once
 * POST /control/tasks/ID/containers/NAME/kill       one container SIGKILLed (409 if it is not running)
 * POST /control/shutdown                            every container SIGKILLed, the host's network removed, exit
 * </pre>
 */
final class ControlServer implements AutoCloseable {
  private final HttpServer server;
  private final ContainerInstance instance;
  private final Runnable shutdown;

  ControlServer(String address, int port, ContainerInstance instance, Runnable shutdown) {
    this.instance = instance;
    this.shutdown = shutdown;
    this.server = Http.serve(address, port, this::handle, "control");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String[] p = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
    // ["", "control", "tasks", ID, "containers", NAME, "kill"]
    if (p.length < 3 || !p[1].equals("control")) {
      Http.notFound(exchange);
    } else if (p.length == 3 && p[2].equals("ready") && method.equals("GET")) {
      Http.json(exchange, 200, GoJson.object().put("pid", ProcessHandle.current().pid()));
    } else if (p.length == 3 && p[2].equals("shutdown") && method.equals("POST")) {
      Http.json(exchange, 202, GoJson.object().put("shutdown", true));
      new Thread(shutdown, "shutdown").start();
    } else if (p[2].equals("tasks")) {
      tasks(exchange, method, p);
    } else {
      Http.notFound(exchange);
    }
  }

  private void tasks(HttpExchange exchange, String method, String[] p) throws IOException {
    if (p.length == 3 && method.equals("POST")) {
      run(exchange);
      return;
    }
    if (p.length == 3 && method.equals("GET")) {
      ArrayNode list = GoJson.array();
      instance.tasks().all().forEach(t -> list.add(ControlJson.task(t)));
      Http.json(exchange, 200, GoJson.object().set("tasks", list));
      return;
    }
    if (p.length < 4) {
      Http.notFound(exchange);
      return;
    }
    Optional<EcsTask> task = instance.tasks().byId(p[3]);
    Optional<TaskEngine> engine = instance.tasks().engine(p[3]);
    if (task.isEmpty() || engine.isEmpty()) {
      error(exchange, 404, "no task " + p[3] + " on this instance");
      return;
    }
    String action = method + " " + String.join("/", Arrays.copyOfRange(p, 4, p.length));
    switch (action) {
      case "GET " -> Http.json(exchange, 200, ControlJson.task(task.get()));
      case "POST stop" -> {
        engine.get().stop(Http.body(exchange).path("reason").asText("Task stopped by user"));
        Http.json(exchange, 202, ControlJson.task(task.get()));
      }
      case "POST kill" -> {
        engine.get().killAll();
        Http.json(exchange, 202, ControlJson.task(task.get()));
      }
      default -> container(exchange, action, p, task.get(), engine.get());
    }
  }

  private void container(HttpExchange exchange, String action, String[] p, EcsTask task, TaskEngine engine)
      throws IOException {
    if (p.length != 7 || !action.startsWith("POST containers/") || !p[6].equals("kill")) {
      Http.notFound(exchange);
    } else if (task.container(p[5]) == null) {
      error(exchange, 404, "task " + task.id + " has no container " + p[5]);
    } else if (!engine.killContainer(p[5])) {
      error(exchange, 409, "container " + p[5] + " is not running");
    } else {
      Http.json(exchange, 202, ControlJson.task(task));
    }
  }

  private void run(HttpExchange exchange) throws IOException {
    JsonNode body;
    try {
      body = Http.body(exchange);
    } catch (IOException e) {
      error(exchange, 400, "the body is not JSON: " + e.getMessage());
      return;
    }
    try {
      EcsTask task = instance.run(body);
      Http.json(exchange, 200, GoJson.object().put("taskArn", task.arn).put("taskId", task.id));
    } catch (IllegalArgumentException e) {
      error(exchange, 400, e.getMessage());
    }
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = GoJson.object().put("error", message);
    Http.json(exchange, status, body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
