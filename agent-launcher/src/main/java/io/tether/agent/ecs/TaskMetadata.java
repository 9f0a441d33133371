package io.tether.agent.ecs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The task metadata endpoint v4 of the container the agent runs in ({@code $ECS_CONTAINER_METADATA_URI_V4}):
 * the task with all its containers, and the agent's own container. Read leniently: ECS adds fields
 * over time, and the agent needs only a few ({@link Metadata}).
 */
public final class TaskMetadata {
  private static final ObjectMapper LENIENT = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT).build();

  public TaskMetadata(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** {@code GET …/task}. @throws IOException when the endpoint does not answer 200 with a task */
  public Metadata.Task task() throws IOException, InterruptedException {
    return get("/task", Metadata.Task.class);
  }

  /** {@code GET …}: the container this agent runs in. */
  public Metadata.Container ownContainer() throws IOException, InterruptedException {
    return get("", Metadata.Container.class);
  }

  private <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
    URI uri = URI.create(base + path);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      String body = response.body().length() > 200 ? response.body().substring(0, 200) + "…" : response.body();
      throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + body.strip());
    }
    return parse(response.body(), type);
  }

  /** One answer of the endpoint, as {@link Metadata}'s records; unknown fields are ignored. */
  static <T> T parse(String body, Class<T> type) throws IOException {
    T value = LENIENT.readValue(body, type);
    if (value == null) {
      throw new IOException("the task metadata endpoint answered null");
    }
    return value;
  }
}
