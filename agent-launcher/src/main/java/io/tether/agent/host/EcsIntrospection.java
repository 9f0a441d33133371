package io.tether.agent.host;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The ECS agent's introspection API on this host, {@code GET {ecsAgent}/v1/tasks}: which tasks ECS runs
 * here and their known status. The answer's shape is amazon-ecs-agent's
 * {@code ecs-agent/introspection/v1} {@code TasksResponse}: {@code {"Tasks": [{"Arn", "DesiredStatus",
 * "KnownStatus", "Family", "Version", "Containers": […]}]}} ({@code Tasks} is null when there are none:
 * Go's nil slice). Read leniently: a newer agent may add fields. Thread-safe.
 */
final class EcsIntrospection {
  private static final ObjectReader LENIENT = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final URI tasks;
  private final Duration timeout;
  private final HttpClient http;

  EcsIntrospection(URI agent, Duration timeout) {
    String base = agent.toString().endsWith("/") ? agent.toString() : agent + "/";
    this.tasks = URI.create(base).resolve("v1/tasks");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  URI uri() {
    return tasks;
  }

  /**
   * Every task the ECS agent knows, by task id (the ARN's last segment), to its KnownStatus.
   *
   * @throws IOException when the agent could not be reached or its answer is not the documented shape
   */
  Map<String, String> tasks() throws IOException, InterruptedException {
    HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(tasks).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() != 200) {
      throw new IOException("GET " + tasks + " answered " + answer.statusCode());
    }
    return taskStatuses(LENIENT.readTree(answer.body()));
  }

  static Map<String, String> taskStatuses(JsonNode body) throws IOException {
    if (body == null || !body.isObject() || !body.has("Tasks")) {
      throw new IOException("the ECS agent's /v1/tasks answer has no Tasks field");
    }
    Map<String, String> out = new HashMap<>();
    for (JsonNode task : body.path("Tasks")) {
      String arn = task.path("Arn").asText("");
      if (!arn.isEmpty()) {
        out.put(taskId(arn), task.path("KnownStatus").asText(""));
      }
    }
    return out;
  }

  /** {@code arn:aws:ecs:region:account:task/cluster/ID} (or the older {@code task/ID}): the ID. */
  static String taskId(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
