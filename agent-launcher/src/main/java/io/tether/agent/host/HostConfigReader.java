package io.tether.agent.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tether.model.InvalidSpecException;
import io.tether.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads a host config file (YAML, and so JSON too) as strictly as the registry reads its API's JSON:
 * the YAML is parsed (a key given twice is an error) and then bound by the model's strict mapper
 * ({@link Json}), so that an unknown field, a string where a number belongs or a list where a value
 * belongs is an error naming the field, never silently ignored or coerced.
 */
final class HostConfigReader {
  private static final YAMLMapper YAML = YAMLMapper.builder(
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();
  private static final String FIELDS = Arrays.stream(HostConfig.class.getRecordComponents())
      .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.joining(", "));

  private HostConfigReader() {}

  static HostConfig read(Path file) throws HostConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new HostConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new HostConfigException(file + ": cannot be read: " + e.getMessage());
    }
    JsonNode tree;
    try {
      tree = YAML.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HostConfigException(file + ": not valid YAML or JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new HostConfigException(file + ": cannot be read: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new HostConfigException(file + ": must be a YAML or JSON object of fields (" + FIELDS + ")");
    }
    try {
      return Json.parse(Json.write(tree), HostConfig.class);
    } catch (InvalidSpecException e) {
      String hint = e.getMessage().startsWith("unknown field") ? " (the fields are: " + FIELDS + ")" : "";
      throw new HostConfigException(file + ": " + e.getMessage() + hint);
    }
  }
}
