package io.tether.client.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CLI's config file: named contexts (server, token or tokenFile, namespace, serverCa) and the current one,
 * like a kubeconfig (docs/cli.md "Contexts"). It lives at {@code $TETHER_CONFIG}, else
 * {@code ${XDG_CONFIG_HOME:-~/.config}/tether/config.yaml}, so the CLI works from any directory.
 */
public final class CliConfig {
  /** One context. Every field may be null; {@code serverCa} is the PEM CA file an https server is trusted by. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Context(String server, String token, String tokenFile, String namespace, String serverCa) {
    public Context(String server, String token, String tokenFile, String namespace) {
      this(server, token, tokenFile, namespace, null);
    }
  }

  /** The file's shape. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Shape(String current, Map<String, Context> contexts) {}

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

  private final Path file;
  private String current;
  private final Map<String, Context> contexts;

  private CliConfig(Path file, String current, Map<String, Context> contexts) {
    this.file = file;
    this.current = current;
    this.contexts = new TreeMap<>(contexts);
  }

  /** Where the config file is, from the environment. */
  public static Path path() {
    String explicit = CliEnvironment.get("TETHER_CONFIG");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String xdg = CliEnvironment.get("XDG_CONFIG_HOME");
    Path base = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("tether").resolve("config.yaml");
  }

  /** The config at {@link #path()}; an empty one when the file does not exist. */
  public static CliConfig load() {
    return load(path());
  }

  public static CliConfig load(Path file) {
    if (!Files.exists(file)) {
      return new CliConfig(file, null, Map.of());
    }
    try {
      Shape shape = YAML.readValue(file.toFile(), Shape.class);
      if (shape == null) {
        return new CliConfig(file, null, Map.of());
      }
      return new CliConfig(file, shape.current(), shape.contexts() == null ? Map.of() : shape.contexts());
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("config file " + file + ": " + e.getOriginalMessage()
          + " (fields of a context: server, token, tokenFile, namespace, serverCa)");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  public Path file() {
    return file;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  /** The current context's name, or null. */
  public String currentName() {
    return current != null && contexts.containsKey(current) ? current : null;
  }

  /** The current context, or an empty one. */
  public Context current() {
    String name = currentName();
    return name == null ? new Context(null, null, null, null) : contexts.get(name);
  }

  public Map<String, Context> contexts() {
    return Map.copyOf(contexts);
  }

  public void put(String name, Context context) {
    contexts.put(name, context);
  }

  /** Removes a context (and unsets it as current); false when there was none by that name. */
  public boolean remove(String name) {
    if (name.equals(current)) {
      current = null;
    }
    return contexts.remove(name) != null;
  }

  public void use(String name) {
    if (!contexts.containsKey(name)) {
      throw new IllegalArgumentException("no context '" + name + "' in " + file
          + " (" + CliErrors.prog() + " context list shows them; " + CliErrors.prog() + " context set " + name
          + " --server URL adds it)");
    }
    current = name;
  }

  /** Writes the file (mode 0600, as it may hold a token), atomically. */
  public void save() {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".config", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      YAML.writeValue(tmp.toFile(), new Shape(current, contexts));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write config file " + file + ": " + e.getMessage());
    }
  }
}
