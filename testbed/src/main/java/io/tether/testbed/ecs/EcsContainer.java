package io.tether.testbed.ecs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One container of a task: what the ECS agent knows of it (statuses, exit code, health, times, labels,
 * ports, networks) and what the emulated Docker holds for it (its process, network namespace, files).
 * Every mutable field is guarded by the owning {@link EcsTask}'s monitor.
 */
final class EcsContainer {
  /** A published port: what Docker's inspect reports under NetworkSettings.Ports. */
  record PortBinding(int containerPort, int hostPort, String protocol, String bindIp) {}

  final ContainerDefinition def;
  final String endpointId = Ids.endpointId();
  final String containerArn;
  final String dockerName;

  ContainerStatus known = ContainerStatus.NONE;
  boolean desiredStopped;
  String dockerId;
  Integer exitCode;
  String reason;
  Instant createdAt;
  Instant startedAt;
  Instant finishedAt;
  ContainerHealth health;
  Map<String, String> labels = Map.of();

  ImageTable.Image image;
  Map<String, String> env = Map.of();
  List<String> argv = List.of();
  List<ContainerConfig.Mount> mounts = List.of();
  String hostname;
  String ip;
  String netns;
  String veth;
  List<PortBinding> ports = List.of();
  Process process;
  long pid;
  Instant termSentAt;
  boolean killSent;
  boolean tornDown;

  EcsContainer(ContainerDefinition def, String containerArn, String family, String revision) {
    this.def = def;
    this.containerArn = containerArn;
    this.dockerName = Ids.dockerName(family, revision, def.name());
    this.health = def.hasHealthCheck() ? ContainerHealth.INITIAL : null;
  }

  String name() {
    return def.name();
  }

  String desiredStatus() {
    return desiredStopped ? "STOPPED" : "RUNNING";
  }

  /** Docker created it: it has an ID, labels and a name in the agent's state. */
  boolean created() {
    return dockerId != null;
  }

  boolean running() {
    return known == ContainerStatus.RUNNING;
  }

  /** It has not started and never will: its stop was decided first (HasNotAndWillNotStart). */
  boolean willNeverStart() {
    return desiredStopped && startedAt == null;
  }

  /** The process exited: STOPPED with Docker's exit code (137 when this emulation sent SIGKILL). */
  void exited(int code, Instant at) {
    known = ContainerStatus.STOPPED;
    exitCode = killSent ? 137 : code;
    finishedAt = at;
    desiredStopped = true;
  }

  /** Failed before its process ran (a pull, a secret, a dependency): STOPPED without an exit code. */
  void failed(String why, Instant at) {
    reason = why;
    known = ContainerStatus.STOPPED;
    desiredStopped = true;
    if (startedAt != null) {
      finishedAt = at;
    }
  }

  /** The stop timeout: the definition's {@code stopTimeout}, else the agent's default. */
  long stopTimeoutSeconds(long agentDefault) {
    return def.stopTimeout() != null && def.stopTimeout() > 0 ? def.stopTimeout() : agentDefault;
  }
}
