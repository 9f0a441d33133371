package io.tether.agent.host;

/**
 * What {@code GET /tether/host} tells a task agent (docs/ecs.md): the namespace, the address its
 * endpoints register, the zone (left out when none is configured) and the port of the ADS relay its
 * Envoy connects to.
 */
record HostInfo(String namespace, String address, String zone, int xdsPort) {}
