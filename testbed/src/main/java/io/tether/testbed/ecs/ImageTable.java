package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The emulated host's images: what each image name of a task definition runs here. A JSON file, one entry
 * per image, named after the fields of a Docker image's config:
 *
 * <pre>{@code
 * {"sample-app:1": {"entrypoint": ["/usr/bin/java", "-cp", "...", "io.tether.testbed.SampleApp"],
 *                   "cmd": ["app", "8080", "0.0.0.0"],
 *                   "env": {"JAVA_TOOL_OPTIONS": "-Xmx48m"},
 *                   "workingDir": "/tmp"},
 *  "shell":        {"entrypoint": ["/bin/bash", "-c"]}}
 * }</pre>
 *
 * {@code command} is accepted for {@code entrypoint}: an image whose argv is one local command line. A name
 * without a tag also matches the entry with {@code :latest}, as Docker reads {@code shell} as
 * {@code shell:latest}.
 */
final class ImageTable {
  private static final Set<String> FIELDS = Set.of("entrypoint", "command", "cmd", "env", "workingDir");

  /** One image: its ENTRYPOINT, CMD, ENV and WORKDIR, and an ID derived from them. */
  record Image(String name, List<String> entrypoint, List<String> cmd, Map<String, String> env, String workingDir,
      String id) {
    /**
     * The argv of a container of this image, as Docker combines them: the definition's {@code entryPoint}
     * replaces the image's ENTRYPOINT and then drops the image's CMD too; the definition's {@code command}
     * replaces the CMD; the argv is ENTRYPOINT followed by CMD.
     */
    List<String> argv(List<String> entryPointOverride, List<String> commandOverride) {
      List<String> entry = entryPointOverride != null ? entryPointOverride : entrypoint;
      List<String> command = commandOverride != null ? commandOverride : entryPointOverride != null ? List.of() : cmd;
      List<String> argv = new ArrayList<>(entry);
      argv.addAll(command);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("no command specified (image " + name + " has no entrypoint or cmd)");
      }
      return argv;
    }
  }

  private final Map<String, Image> images;

  private ImageTable(Map<String, Image> images) {
    this.images = images;
  }

  static ImageTable load(Path file, ObjectMapper json) throws IOException {
    return parse(json.readTree(file.toFile()));
  }

  static ImageTable parse(JsonNode table) {
    if (table == null || !table.isObject()) {
      throw new IllegalArgumentException("an image table is a JSON object: image name -> {entrypoint, cmd, env}");
    }
    Map<String, Image> images = new LinkedHashMap<>();
    table.properties().forEach(e -> images.put(e.getKey(), image(e.getKey(), e.getValue())));
    return new ImageTable(images);
  }

  /** The image {@code name} refers to, as Docker resolves a name. */
  Optional<Image> find(String name) {
    Image exact = images.get(name);
    if (exact != null || lastSegment(name).contains(":") || name.contains("@")) {
      return Optional.ofNullable(exact);
    }
    return Optional.ofNullable(images.get(name + ":latest"));
  }

  private static String lastSegment(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static Image image(String name, JsonNode spec) {
    if (!spec.isObject()) {
      throw new IllegalArgumentException("image " + name + ": an object with entrypoint, cmd, env, workingDir");
    }
    for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("image " + name + ": unknown field " + field + " (known: " + FIELDS + ")");
      }
    }
    if (spec.has("entrypoint") && spec.has("command")) {
      throw new IllegalArgumentException("image " + name + ": entrypoint and command are one field; give one");
    }
    List<String> entrypoint = strings(spec.has("entrypoint") ? spec.get("entrypoint") : spec.get("command"));
    Map<String, String> env = new LinkedHashMap<>();
    if (spec.has("env")) {
      spec.get("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    String workingDir = spec.hasNonNull("workingDir") ? spec.get("workingDir").asText() : null;
    return new Image(name, entrypoint, strings(spec.get("cmd")), Map.copyOf(env), workingDir, digest(name + spec));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && !array.isNull()) {
      if (!array.isArray()) {
        throw new IllegalArgumentException("expected an array of strings, got " + array);
      }
      array.forEach(n -> out.add(n.asText()));
    }
    return List.copyOf(out);
  }

  /** A content digest, as Docker's image IDs are: the same entry always has the same ID. */
  private static String digest(String content) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
