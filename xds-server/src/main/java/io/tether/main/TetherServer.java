package io.tether.main;

import io.tether.registry.RegistryServer;
import io.tether.xds.server.ProxiesApi;
import io.tether.xds.server.XdsInfoApi;
import io.tether.xds.server.XdsServer;

/**
 * One Tether replica: the registry (REST API, store, view) and the xDS server fed by its view, with
 * {@code /v1/proxies} and {@code /v1/xds} on the REST API. Replicas are stateless; any number may share one etcd.
 */
public final class TetherServer implements AutoCloseable {
  private final RegistryServer registry;
  private final XdsServer xds;
  private final String replica;
  private final boolean xdsTls;
  private String xdsAdvertised;

  public TetherServer(RegistryServer.Config registryConfig, XdsServer.Config xdsConfig, String replica) {
    this.registry = new RegistryServer(registryConfig);
    this.xds = new XdsServer(xdsConfig);
    this.replica = replica;
    this.xdsTls = xdsConfig.tlsCert() != null;
  }

  /** The xDS address {@code /v1/xds} answers with (HOST:PORT), instead of the request's host; before {@link #start}. */
  public TetherServer advertiseXds(String hostPort) {
    this.xdsAdvertised = hostPort;
    return this;
  }

  public TetherServer start() {
    registry.start();
    xds.start(registry.view(), registry.meters(), replica);
    ProxiesApi.mount(registry.api(), xds, replica);
    XdsInfoApi.mount(registry.api(), xds, xdsAdvertised, xdsTls);
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
