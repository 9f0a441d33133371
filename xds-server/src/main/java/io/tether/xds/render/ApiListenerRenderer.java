package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.tether.model.ClientAlias;
import java.util.ArrayList;
import java.util.List;

/**
 * The api_listeners of proxyless gRPC clients. A channel to {@code xds:///payments:8080} asks LDS for
 * {@code payments:8080}; one to {@code xds:///payments} asks for {@code payments}, which is served too
 * when it is unambiguous, i.e. when the service lists a single port for that dnsName.
 */
final class ApiListenerRenderer {
  private ApiListenerRenderer() {}

  /** One per alias, in the order of {@code aliases}, each followed by its bare-dnsName twin if any. */
  static List<Listener> render(ServiceInput in, List<ClientAlias> aliases) {
    List<Listener> listeners = new ArrayList<>();
    for (ClientAlias alias : aliases) {
      listeners.add(listener(in, alias, ResourceNames.apiListener(alias.hostPort())));
      long ports = aliases.stream().filter(a -> a.dnsName().equals(alias.dnsName())).count();
      if (ports == 1) {
        // ResourceNames.apiListener names a listener by the client's target authority; here that
        // authority is the bare dnsName.
        listeners.add(listener(in, alias, ResourceNames.apiListener(alias.dnsName())));
      }
    }
    return listeners;
  }

  private static Listener listener(ServiceInput in, ClientAlias alias, String name) {
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Protos.any(
            HttpConnectionManagers.proxyless(name, RouteRenderer.proxyless(in, alias.hostPort())))))
        .build();
  }
}
