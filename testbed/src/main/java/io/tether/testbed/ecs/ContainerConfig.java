package io.tether.testbed.ecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker create} fixes for a container, from its image and definition: the argv ({@link
 * ImageTable.Image#argv}), the environment, the labels, the hostname and the bind mounts.
 *
 * <p>The environment is Docker's: a default PATH and HOME, HOSTNAME, the image's ENV, then the definition's
 * {@code environment}, its {@code secrets}, and what the ECS agent injects: {@code ECS_CONTAINER_METADATA_URI}
 * (v3), {@code ECS_CONTAINER_METADATA_URI_V4}, and AWS_REGION/AWS_DEFAULT_REGION unless given. Nothing of the
 * stand-in's own environment leaks in, but {@code TETHER_TEST_RUN}: the test run's mark, by which {@code
 * ./tether test} finds processes a run left behind.
 */
final class ContainerConfig {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final String METADATA = "http://169.254.170.2";

  /** A bind mount: {@code source} as this machine names it, {@code target} inside the container. */
  record Mount(String sourceVolume, String declaredSource, Path source, String target, boolean readOnly) {}

  private final StandInOptions options;
  private final ContainerFiles files;
  private final Map<String, String> secrets;

  ContainerConfig(StandInOptions options, ContainerFiles files, Map<String, String> secrets) {
    this.options = options;
    this.files = files;
    this.secrets = secrets;
  }

  /** The first secret of {@code task} with no value here, if any (ECS fails the whole task for it). */
  String missingSecret(TaskDefinition def) {
    for (ContainerDefinition c : def.containers()) {
      for (ContainerDefinition.Secret s : c.secrets()) {
        if (!secrets.containsKey(s.valueFrom())) {
          return s.valueFrom();
        }
      }
    }
    return null;
  }

  Map<String, String> environment(EcsContainer c, String hostname) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.put("HOME", "/root");
    env.put("HOSTNAME", hostname);
    env.putAll(c.image.env());
    env.putAll(c.def.environment());
    c.def.secrets().forEach(s -> env.put(s.name(), secrets.get(s.valueFrom())));
    env.put("ECS_CONTAINER_METADATA_URI", METADATA + "/v3/" + c.endpointId);
    env.put("ECS_CONTAINER_METADATA_URI_V4", METADATA + "/v4/" + c.endpointId);
    if (!env.containsKey("AWS_REGION") && !env.containsKey("AWS_DEFAULT_REGION")) {
      env.put("AWS_REGION", options.region);
      env.put("AWS_DEFAULT_REGION", options.region);
    }
    String mark = System.getenv("TETHER_TEST_RUN");
    if (mark != null) {
      env.put("TETHER_TEST_RUN", mark);
    }
    return env;
  }

  /** Docker's labels: the definition's {@code dockerLabels}, overridden by the five the agent sets. */
  Map<String, String> labels(EcsTask task, EcsContainer c) {
    Map<String, String> labels = new LinkedHashMap<>(c.def.dockerLabels());
    labels.put("com.amazonaws.ecs.cluster", options.cluster);
    labels.put("com.amazonaws.ecs.container-name", c.name());
    labels.put("com.amazonaws.ecs.task-arn", task.arn);
    labels.put("com.amazonaws.ecs.task-definition-family", task.def.family());
    labels.put("com.amazonaws.ecs.task-definition-version", task.def.revision());
    return labels;
  }

  /**
   * The container's bind mounts: its {@code mountPoints}, and in host mode the copies of the host's hosts and
   * resolv.conf over {@code /etc} (unless it mounts one of them itself), copied into {@code dir} now.
   */
  List<Mount> mounts(EcsTask task, EcsContainer c, Path dir) {
    List<Mount> mounts = new ArrayList<>();
    for (ContainerDefinition.MountPoint m : c.def.mountPoints()) {
      String declared = task.def.hostVolumes().get(m.sourceVolume());
      if (declared == null) {
        throw new IllegalStateException("CannotCreateContainerError: volume " + m.sourceVolume()
            + " has no host.sourcePath; Docker-managed volumes are not emulated");
      }
      mounts.add(new Mount(m.sourceVolume(), declared, hostPath(declared), m.containerPath(), m.readOnly()));
    }
    if (task.def.networkMode().equals("host")) {
      files.copyHostFiles(dir, c.def);
      for (String name : List.of("hosts", "resolv.conf")) {
        String target = "/etc/" + name;
        if (mounts.stream().noneMatch(m -> m.target().equals(target))) {
          mounts.add(new Mount(null, null, dir.resolve(name), target, false));
        }
      }
    }
    for (Mount m : mounts) {
      if (!Files.exists(Path.of(m.target()))) {
        throw new IllegalStateException("CannotCreateContainerError: mount target " + m.target()
            + " does not exist here (the emulated containers share this machine's file system)");
      }
    }
    return mounts;
  }

  /**
   * Where {@code sourcePath} of the host is on this machine: the host's own {@code /etc} files are the test
   * host's {@code /etc/netns/HOSTNETNS/} ones. A missing source is created as a directory, as Docker's
   * {@code -v} bind does.
   */
  private Path hostPath(String sourcePath) {
    Path source = Path.of(sourcePath);
    if (sourcePath.startsWith("/etc/")) {
      source = files.hostFile(sourcePath.substring("/etc/".length()));
    }
    try {
      if (!Files.exists(source)) {
        Files.createDirectories(source);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return source;
  }

  /** The working directory: the definition's, else the image's, else {@code /}. */
  static String workingDir(EcsContainer c) {
    String wd = c.def.workingDirectory() != null ? c.def.workingDirectory() : c.image.workingDir();
    return wd == null ? "/" : wd;
  }
}
