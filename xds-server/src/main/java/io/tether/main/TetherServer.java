package io.tether.main;

import io.tether.registry.RegistryServer;
import io.tether.registry.store.ReplicaDirectory;
import io.tether.registry.store.ReplicaInfo;
import io.tether.xds.identity.CaOptions;
import io.tether.xds.server.IdentitiesApi;
import io.tether.xds.server.ProxiesApi;
import io.tether.xds.server.StatusApi;
import io.tether.xds.server.XdsInfoApi;
import io.tether.xds.server.XdsServer;

/**
 * One Tether replica: the registry (REST API, store, view) and the xDS server fed by its view, with
 * {@code /v1/proxies}, {@code /v1/xds} and the web console ({@code /ui}) on the REST API. Replicas are
 * stateless; any number may share one etcd.
 */
public final class TetherServer implements AutoCloseable {
  private final RegistryServer registry;
  private final XdsServer xds;
  private final String replica;
  private final boolean xdsTls;
  private String xdsAdvertised;
  private final RegistryServer.Config registryConfig;
  private final String advertiseApi;
  private ReplicaDirectory replicas;
  private CaOptions ca;

  public TetherServer(RegistryServer.Config registryConfig, XdsServer.Config xdsConfig, String replica) {
    this(registryConfig, xdsConfig, replica, null);
  }

  /** {@code advertiseApi}: the URL peers reach this replica's API at; null derives it ({@link AdvertisedApi}). */
  public TetherServer(RegistryServer.Config registryConfig, XdsServer.Config xdsConfig, String replica,
      String advertiseApi) {
    this.registry = new RegistryServer(registryConfig);
    this.xds = new XdsServer(xdsConfig);
    this.replica = replica;
    this.registryConfig = registryConfig;
    this.advertiseApi = advertiseApi;
    this.xdsTls = xdsConfig.tlsCert() != null;
  }

  /** The xDS address {@code /v1/xds} answers with (HOST:PORT), instead of the request's host; before {@link #start}. */
  public TetherServer advertiseXds(String hostPort) {
    this.xdsAdvertised = hostPort;
    return this;
  }

  /** Where the mesh CA comes from; before {@link #start}. Without it, a CA in memory only (tests). */
  public TetherServer ca(CaOptions options) {
    this.ca = options;
    return this;
  }

  public TetherServer start() {
    registry.startClosed();
    if (ca != null) {
      try {
        xds.identities(ca.load(registry.store(), registry.meters()));
      } catch (IllegalArgumentException e) {
        throw new StartupException(e.getMessage());
      }
    }
    xds.authenticateWith(registry.tokens()).start(registry.view(), registry.meters(), replica);
    String apiUrl = AdvertisedApi.of(advertiseApi, registryConfig.apiHost(), registry.apiPort());
    if (advertiseApi == null && registryConfig.apiTls() != null) {
      apiUrl = "https" + apiUrl.substring("http".length()); // the derived URL, in the scheme the API speaks
    }
    replicas = new ReplicaDirectory(registry.etcdClient(), registry.keys(),
        new ReplicaInfo(replica, apiUrl, TetherVersion.VERSION, java.time.Instant.now().toString())).start();
    ProxiesApi proxies = ProxiesApi.mount(registry.api(), xds, replicas,
        registryConfig.apiTls() == null ? null : registryConfig.apiTls().peerTrust());
    StatusApi.mount(registry.api(), proxies, registry.view(), registry.etcdClient(), TetherVersion.VERSION);
    XdsInfoApi.mount(registry.api(), xds, xdsAdvertised, xdsTls);
    IdentitiesApi.mount(registry.api(), xds.identities(), registry.view());
    ConsoleUi.mount(registry.api());
    registry.open();
    return this;
  }

  /** This replica's record and its peers'. */
  public ReplicaDirectory replicas() {
    return replicas;
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
    if (replicas != null) {
      replicas.close();
    }
    xds.close();
    registry.close();
  }
}
