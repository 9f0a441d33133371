package io.tether.agent.ecs;

/**
 * One service a task serves, as {@code TETHER_SERVICES} names it (docs/ecs.md): callers reach the
 * sidecar's Envoy on {@code ingressPort}; Envoy forwards to {@code appPort} of container {@code container}.
 */
public record EcsService(String discoveryName, String container, int appPort, int ingressPort) {}
