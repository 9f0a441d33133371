package io.tether.bench;

import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.ServedPort;
import io.tether.agent.registry.RegistryClient;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * What one bridge- or host-mode ECS task asks of its host agent, done from this JVM: its sidecar Envoy
 * (the task agent's server-only bootstrap, no token) on the host agent's ADS relay, and its endpoint
 * (metadata {@code ecsTaskArn}) registered through the REST relay under a lease kept alive every third of
 * its TTL, as the task agent keeps it. The task agent's own JVM is what {@link PerTaskAgents} measures.
 */
final class RelayedTask implements AutoCloseable {
  private static final long LEASE_TTL = 10;
  private final Sidecar envoy;
  private final ScheduledFuture<?> keepAlive;

  private RelayedTask(Sidecar envoy, ScheduledFuture<?> keepAlive) {
    this.envoy = envoy;
    this.keepAlive = keepAlive;
  }

  static RelayedTask start(AgentMesh mesh, String id, int apiPort, int xdsPort, ScheduledExecutorService timer)
      throws IOException {
    int ingress = PortRange.next();
    BootstrapSpec spec = new BootstrapSpec(AgentMesh.SERVICE + "-" + id, AgentMesh.SERVICE, AgentMesh.NS,
        List.of(new ServedPort(AgentMesh.SERVICE, ingress, PortRange.next(), "127.0.0.1")), "127.0.0.1", xdsPort, null,
        PortRange.next(), null, true, null);
    Sidecar envoy = Sidecar.agentLike(mesh.envoy(), mesh.dir(), spec, UnaryOperator.identity());
    try {
      RegistryClient relay = RegistryClient.viaRelay(URI.create("http://127.0.0.1:" + apiPort));
      long lease = relay.grantLease(AgentMesh.NS, LEASE_TTL).id();
      relay.registerEndpoint(AgentMesh.NS, AgentMesh.SERVICE, id, new Endpoint("127.0.0.1", ingress, null,
          Health.HEALTHY, id, null, Map.of("ecsTaskArn", TaskIntrospection.arn(id), "ecsCluster", "bench"), lease));
      return new RelayedTask(envoy, timer.scheduleAtFixedRate(() -> relay.keepAlive(lease), LEASE_TTL / 3,
          LEASE_TTL / 3, TimeUnit.SECONDS));
    } catch (RuntimeException e) {
      envoy.close();
      throw e;
    }
  }

  boolean ready() {
    return envoy.ready();
  }

  long envoyRss() throws IOException {
    return envoy.rssBytes();
  }

  @Override
  public void close() {
    keepAlive.cancel(false);
    envoy.close();
  }
}
