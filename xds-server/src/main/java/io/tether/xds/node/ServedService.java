package io.tether.xds.node;

/** A service a node's task serves: traffic for it arrives on {@code ingressPort} and goes to the app on {@code appPort}. */
public record ServedService(String discoveryName, int ingressPort, int appPort) {}
