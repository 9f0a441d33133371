package io.tether.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tether.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files the commands read ({@code -f}, {@code --config}): JSON or YAML, told apart by the extension
 * ({@code .yaml}, {@code .yml}) or else by the content (JSON starts with '{' or '['), and printed
 * documents ({@code -o json|yaml}). What is sent to the API is always JSON: the server checks it.
 */
public final class Documents {
  /** Duplicate keys are an error here as in the API's JSON (model/.../json/Json). */
  private static final ObjectMapper YAML_READER = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML_WRITER = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build());

  private Documents() {}

  /** The bytes of a file, or of standard input for "-"; a missing file is "no such file: X". */
  public static byte[] bytes(Path file) {
    try {
      return file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The file as a tree, JSON or YAML. */
  public static JsonNode read(Path file) {
    return parse(file.toString(), bytes(file));
  }

  /** The file as JSON bytes for the API, converted from YAML when it is YAML. */
  public static byte[] readAsJson(Path file) {
    return asJson(file.toString(), bytes(file));
  }

  /** A document's bytes as JSON: JSON as it is (its reader checks it), YAML converted. */
  public static byte[] asJson(String source, byte[] raw) {
    return isYaml(source, raw) ? Json.write(parse(source, raw)) : raw;
  }

  /** A document named {@code source} (its extension decides, else its content). */
  public static JsonNode parse(String source, byte[] raw) {
    boolean yaml = isYaml(source, raw);
    try {
      JsonNode tree = (yaml ? YAML_READER : Json.MAPPER).readTree(raw);
      if (tree == null || tree.isMissingNode()) {
        throw new IllegalArgumentException(source + " is empty");
      }
      return tree;
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(source + " is not valid " + (yaml ? "YAML" : "JSON") + ": " + why);
    }
  }

  static boolean isYaml(String source, byte[] raw) {
    String name = source.toLowerCase();
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return true;
    }
    if (name.endsWith(".json")) {
      return false;
    }
    String text = new String(raw, StandardCharsets.UTF_8).stripLeading();
    return !(text.startsWith("{") || text.startsWith("["));
  }

  /** A document as YAML, as {@code -o yaml} prints it. */
  public static String yaml(JsonNode node) {
    try {
      return YAML_WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print YAML", e);
    }
  }

  /** A document as indented JSON, as {@code -o json} prints it. */
  public static String json(Object value) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }
}
