package io.tether.agent.bootstrap;

/** A service the task serves: Tether routes its callers to {@code ingressPort}; Envoy forwards to the app's {@code appPort}. */
public record ServedPort(String discoveryName, int ingressPort, int appPort) {}
