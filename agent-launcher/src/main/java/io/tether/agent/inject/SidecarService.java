package io.tether.agent.inject;

/**
 * A service the sidecar will serve, resolved against the task definition: Tether's callers reach it on
 * {@code ingressPort}, and Envoy forwards to the app's port mapping {@code mapping}.
 */
record SidecarService(ServiceRequest request, PortMapping mapping, String discoveryName, int ingressPort) {
  String container() {
    return mapping.container();
  }

  int appPort() {
    return mapping.containerPort();
  }

  SidecarService withIngressPort(int port) {
    return new SidecarService(request, mapping, discoveryName, port);
  }
}
