package io.tether.agent.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the ECS agent's task metadata endpoint v4: it serves {@code /v4/ID/task} and {@code
 * /v4/ID} (the sidecar's own container) from a fixture, in ECS's documented shapes, and the test
 * changes the task as ECS would: containers starting and stopping, health checks deciding, the desired
 * status turning STOPPED, the endpoint going away for a while.
 */
final class MetadataStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENDPOINT_ID = "5b3e8f2a-sidecar";

  private final HttpServer server;
  private final ObjectNode task;
  private final String ownName;
  private final AtomicInteger requests = new AtomicInteger();
  private boolean unavailable;

  /** Serves {@code fixture} (under src/test/resources/ecs/), {@code ownName} being the sidecar's container. */
  MetadataStandIn(String fixture, String ownName) throws IOException {
    this.task = (ObjectNode) JSON.readTree(Fixtures.text(fixture));
    this.ownName = ownName;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v4/" + ENDPOINT_ID, this::serve);
    server.start();
  }

  /** What ECS puts in {@code ECS_CONTAINER_METADATA_URI_V4}. */
  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/" + ENDPOINT_ID;
  }

  int requests() {
    return requests.get();
  }

  private void serve(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    byte[] body;
    int status;
    synchronized (this) {
      if (unavailable) {
        status = 503;
        body = "{\"error\":\"ECS agent restarting\"}".getBytes(StandardCharsets.UTF_8);
      } else {
        status = 200;
        JsonNode answer = path.endsWith("/task") ? task : container(ownName);
        body = JSON.writeValueAsBytes(answer);
      }
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** The container's KnownStatus, with the timestamps and exit code ECS adds along. */
  synchronized void containerStatus(String name, String status) {
    ObjectNode c = container(name);
    c.put("KnownStatus", status);
    if (status.equals("RUNNING")) {
      c.put("StartedAt", Instant.now().toString());
    }
    if (status.equals("STOPPED")) {
      c.put("DesiredStatus", "STOPPED").put("FinishedAt", Instant.now().toString()).put("ExitCode", 0);
    }
  }

  /** The container's health check result: HEALTHY, UNHEALTHY, or null for undecided ({@code "Health": {}}). */
  synchronized void health(String name, String status) {
    ObjectNode health = container(name).putObject("Health");
    if (status != null) {
      health.put("status", status).put("statusSince", Instant.now().toString());
    }
  }

  /** ECS decided to stop the task: its and its containers' DesiredStatus are STOPPED. */
  synchronized void desiredStatus(String status) {
    task.put("DesiredStatus", status);
    task.withArray("Containers").forEach(c -> ((ObjectNode) c).put("DesiredStatus", status));
  }

  /** Every container's network: the mode and, when not null, its IPv4 address. */
  synchronized void network(String mode, String ipv4) {
    for (JsonNode c : task.withArray("Containers")) {
      ArrayNode networks = ((ObjectNode) c).putArray("Networks");
      ObjectNode network = networks.addObject().put("NetworkMode", mode);
      network.putArray("IPv4Addresses").add(ipv4 == null ? "" : ipv4);
    }
  }

  /** The container's port mappings: each container port mapped to itself (host and awsvpc mode). */
  synchronized void ports(String name, int... containerPorts) {
    ArrayNode ports = container(name).putArray("Ports");
    for (int port : containerPorts) {
      ports.addObject().put("ContainerPort", port).put("Protocol", "tcp").put("HostPort", port);
    }
  }

  /** The container's port mappings as ECS gives them before Docker has answered: none, {@code Ports} left out. */
  synchronized void noPorts(String name) {
    container(name).remove("Ports");
  }

  /** One port mapping of the container, to {@code hostPort} (Docker's choice in bridge mode), or without HostPort when null. */
  synchronized void mappedPort(String name, int containerPort, Integer hostPort) {
    ObjectNode port = container(name).putArray("Ports").addObject().put("ContainerPort", containerPort)
        .put("Protocol", "tcp");
    if (hostPort != null) {
      port.put("HostPort", hostPort).put("HostIp", "0.0.0.0");
    }
  }

  /** While set, every request is answered 503, as when the ECS agent is away. */
  synchronized void unavailable(boolean value) {
    unavailable = value;
  }

  private ObjectNode container(String name) {
    for (JsonNode c : task.withArray("Containers")) {
      if (c.path("Name").asText().equals(name)) {
        return (ObjectNode) c;
      }
    }
    throw new IllegalArgumentException("no container " + name + " in the fixture");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
