package io.tether.agent.bootstrap;

import java.util.Objects;

/**
 * A service the task serves: Tether routes its callers to {@code ingressPort}; Envoy forwards to the
 * app's {@code appPort}.
 *
 * <p>The control plane always renders that forwarding to {@code 127.0.0.1:appPort} (the xDS contract),
 * which is right when Envoy shares the app's network namespace. When it cannot (an ECS task in bridge
 * network mode, where every container has its own), {@code appHost} names where the app really is, and
 * the bootstrap bridges Envoy's loopback to it ({@link AppForwarder}).
 *
 * @param appHost {@value #LOOPBACK} when Envoy shares the app's network namespace, else the app's host
 *     name or IP as Envoy's container resolves it (e.g. a Docker link alias)
 */
public record ServedPort(String discoveryName, int ingressPort, int appPort, String appHost) {
  public static final String LOOPBACK = "127.0.0.1";

  public ServedPort {
    Objects.requireNonNull(discoveryName, "discoveryName");
    Objects.requireNonNull(appHost, "appHost");
  }

  /** The app beside Envoy, on its loopback. */
  public ServedPort(String discoveryName, int ingressPort, int appPort) {
    this(discoveryName, ingressPort, appPort, LOOPBACK);
  }

  /** True when Envoy reaches the app on its own loopback, as the control plane's rendering expects. */
  public boolean appOnLoopback() {
    return appHost.equals(LOOPBACK) || appHost.equals("localhost") || appHost.equals("::1")
        || appHost.startsWith("127.");
  }
}
