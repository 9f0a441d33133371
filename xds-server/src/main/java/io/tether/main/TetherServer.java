package io.tether.main;

import io.tether.registry.RegistryServer;
import io.tether.xds.server.ProxiesApi;
import io.tether.xds.server.XdsServer;

/**
 * One Tether replica: the registry (REST API, store, view) and the xDS server fed by its view, with
 * {@code /v1/proxies} and the web console ({@code /ui}) on the REST API. Replicas are stateless; any
 * number may share one etcd.
 */
public final class TetherServer implements AutoCloseable {
  private final RegistryServer registry;
  private final XdsServer xds;
  private final String replica;

  public TetherServer(RegistryServer.Config registryConfig, XdsServer.Config xdsConfig, String replica) {
    this.registry = new RegistryServer(registryConfig);
    this.xds = new XdsServer(xdsConfig);
    this.replica = replica;
  }

  public TetherServer start() {
    registry.start();
    xds.start(registry.view(), registry.meters());
    ProxiesApi.mount(registry.api(), xds, replica);
    ConsoleUi.mount(registry.api());
    return this;
  }

  public RegistryServer registry() {
    return registry;
  }

  public XdsServer xds() {
    return xds;
  }

  public String replica() {
    return replica;
  }

  @Override
  public void close() {
    xds.close();
    registry.close();
  }
}
