package io.tether.agent.ecs;

import io.tether.agent.registry.RegistryClient;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import java.time.Duration;
import java.util.Map;

/**
 * What every endpoint of the task is registered with, whichever service it is of.
 *
 * @param taskId the endpoint id: the task ARN's last segment
 * @param address the host's address (bridge, host) or the task's (awsvpc)
 * @param host the name of the host the agent runs on
 * @param metadata {@code ecsTaskArn} and {@code ecsCluster}, and {@link Endpoint#TLS_KEY}: every port
 *     registered is the sidecar Envoy's ingress (or the host port Docker maps to it)
 * @param labels {@code TETHER_LABELS}
 */
record EndpointFacts(RegistryClient registry, String namespace, String taskId, String address, String zone,
    String host, Map<String, String> metadata, Duration leaseTtl, Map<String, String> labels) {

  static EndpointFacts of(EcsSettings settings, Placement placement, Metadata.Task task, String host) {
    Map<String, String> metadata = task.cluster() == null
        ? Map.of("ecsTaskArn", task.taskArn(), Endpoint.TLS_KEY, Endpoint.TLS_MESH)
        : Map.of("ecsTaskArn", task.taskArn(), "ecsCluster", task.cluster(), Endpoint.TLS_KEY, Endpoint.TLS_MESH);
    return new EndpointFacts(placement.registry(), settings.namespace(), task.taskId(), placement.address(),
        placement.zone(), host, metadata, Duration.ofSeconds(settings.leaseTtlSeconds()), settings.labels());
  }

  Endpoint endpoint(int port, Health health) {
    return new Endpoint(address, port, zone, health, taskId, host, metadata, null, labels);
  }
}
