package io.tether.agent.ecs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * The parts of the task metadata endpoint v4's answers the task agent uses, named as ECS names them
 * (amazon-ecs-agent {@code ecs-agent/tmds/handlers/v2/response.go}, {@code v4/state/response.go},
 * {@code response/response.go}; see {@code src/test/resources/ecs/README.md}). Everything else is
 * ignored, and every field may be absent: ECS leaves out what it does not know yet.
 */
public final class Metadata {
  private Metadata() {}

  /** {@code GET $ECS_CONTAINER_METADATA_URI_V4/task}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Task(
      @JsonProperty("TaskARN") String taskArn,
      @JsonProperty("Cluster") String cluster,
      @JsonProperty("Family") String family,
      @JsonProperty("Revision") String revision,
      @JsonProperty("DesiredStatus") String desiredStatus,
      @JsonProperty("KnownStatus") String knownStatus,
      @JsonProperty("AvailabilityZone") String availabilityZone,
      @JsonProperty("Containers") List<Container> containers) {

    public Task {
      containers = containers == null ? List.of() : List.copyOf(containers);
    }

    /** The task id: the last segment of the ARN ({@code arn:aws:ecs:…:task/CLUSTER/ID}). */
    public String taskId() {
      return taskArn == null ? null : taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** ECS has decided to stop the task: its containers get SIGTERM next, in dependency order. */
    public boolean stopping() {
      return "STOPPED".equals(desiredStatus);
    }

    public Optional<Container> container(String name) {
      return containers.stream().filter(c -> name.equals(c.name())).findFirst();
    }
  }

  /** One container: of the task's list, or {@code GET $ECS_CONTAINER_METADATA_URI_V4} for the caller's own. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Container(
      @JsonProperty("Name") String name,
      @JsonProperty("DockerId") String dockerId,
      @JsonProperty("KnownStatus") String knownStatus,
      @JsonProperty("DesiredStatus") String desiredStatus,
      @JsonProperty("Health") Health health,
      @JsonProperty("Ports") List<Port> ports,
      @JsonProperty("Networks") List<Network> networks,
      @JsonProperty("ExitCode") Integer exitCode) {

    public Container {
      ports = ports == null ? List.of() : List.copyOf(ports);
      networks = networks == null ? List.of() : List.copyOf(networks);
    }

    /**
     * Started and not stopped. RESOURCES_PROVISIONED comes after RUNNING (ECS's own containers reach
     * it); every earlier status (NONE, MANIFEST_PULLED, PULLED, CREATED) is still starting.
     */
    public boolean running() {
      return "RUNNING".equals(knownStatus) || "RESOURCES_PROVISIONED".equals(knownStatus);
    }

    public boolean stopped() {
      return "STOPPED".equals(knownStatus);
    }

    /** The network mode Docker created the container in: bridge, host or awsvpc (the first network's). */
    public Optional<String> networkMode() {
      return networks.stream().map(Network::networkMode).filter(m -> m != null && !m.isEmpty()).findFirst();
    }

    /** The container's IPv4 address; empty in host mode (ECS lists "") and before Docker gave it one. */
    public Optional<String> ipv4() {
      return networks.stream().flatMap(n -> n.ipv4Addresses().stream()).filter(a -> !a.isEmpty()).findFirst();
    }

    /** The host port Docker mapped a TCP container port to (dual-stack hosts list each mapping twice). */
    public Optional<Integer> hostPort(int containerPort) {
      return ports.stream()
          .filter(p -> p.containerPort() != null && p.containerPort() == containerPort)
          .filter(p -> p.protocol() == null || p.protocol().equals("tcp"))
          .map(Port::hostPort).filter(h -> h != null && h > 0).findFirst();
    }
  }

  /**
   * Docker's health check result, present only for a container whose definition has a health check.
   * ECS leaves {@code status} out while it is UNKNOWN (the check has not decided yet).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Health(
      @JsonProperty("status") String status,
      @JsonProperty("statusSince") String statusSince,
      @JsonProperty("output") String output) {

    /** True for HEALTHY, false for UNHEALTHY, empty while starting (UNKNOWN or no status yet). */
    public Optional<Boolean> verdict() {
      if ("HEALTHY".equals(status)) {
        return Optional.of(true);
      }
      return "UNHEALTHY".equals(status) ? Optional.of(false) : Optional.empty();
    }
  }

  /** A port mapping; {@code HostPort} is Docker's choice in bridge mode, the container port otherwise. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Port(
      @JsonProperty("ContainerPort") Integer containerPort,
      @JsonProperty("Protocol") String protocol,
      @JsonProperty("HostPort") Integer hostPort,
      @JsonProperty("HostIp") String hostIp) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Network(
      @JsonProperty("NetworkMode") String networkMode,
      @JsonProperty("IPv4Addresses") List<String> ipv4Addresses) {

    public Network {
      ipv4Addresses = ipv4Addresses == null ? List.of() : ipv4Addresses.stream().map(a -> a == null ? "" : a).toList();
    }
  }
}
