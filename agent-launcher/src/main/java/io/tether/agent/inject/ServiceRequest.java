package io.tether.agent.inject;

import java.util.Objects;

/**
 * One {@code --service CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]]}: the task's container
 * {@code container} serves its port mapping named {@code portName} as Tether service
 * {@code discoveryName} (default: the port name, as in ECS Service Connect), with the sidecar listening
 * for it on {@code ingressPort} (default: the first free port from 15000).
 *
 * @param discoveryName null for the default
 * @param ingressPort null for the default
 */
public record ServiceRequest(String container, String portName, String discoveryName, Integer ingressPort) {
  public static final String SYNTAX = "CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]]";

  public ServiceRequest {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(portName, "portName");
  }

  /** How the operator wrote it, to name it in messages: {@code --service app:http}. */
  public String arg() {
    StringBuilder b = new StringBuilder("--service ").append(container).append(':').append(portName);
    if (discoveryName != null || ingressPort != null) {
      b.append(':').append(discoveryName == null ? "" : discoveryName);
    }
    if (ingressPort != null) {
      b.append(':').append(ingressPort);
    }
    return b.toString();
  }
}
