package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.testing.Poll;
import io.tether.registry.view.EtcdRegistryView;
import io.tether.xds.server.XdsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A replica's xDS port is open before its registry view has loaded (a restart: the Envoys reconnect at
 * once). A proxy that connects in that window must get nothing until the view has loaded, and then the
 * whole registry: an empty first answer would make an Envoy drop every listener and cluster it holds.
 */
class XdsBeforeViewLoadTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aProxyConnectingBeforeTheViewLoadedIsFirstAnsweredWithTheLoadedRegistry() throws Exception {
    try (Mesh mesh = new Mesh()) {
      mesh.service("a", "payments", 8080, "");
      mesh.awaitView();
      var client = EtcdClients.connect(List.of(mesh.etcdUrl));
      try (EtcdRegistryView view = new EtcdRegistryView(client, new KeyLayout(mesh.prefix), EtcdRegistryView.PROBE_INTERVAL);
          XdsServer xds = new XdsServer(new XdsServer.Config("127.0.0.1", 0, Mesh.TOKENS))
              .start(view, new SimpleMeterRegistry());
          AdsProbe probe = new AdsProbe(xds.port(), Mesh.AGENT_A,
              XdsMessages.node("early", AdsProbe.ENVOY, XdsMessages.metadata("a")))) {
        probe.subscribe(AdsProbe.CDS, List.of());
        Poll.until(WAIT, () -> !xds.cache().activeGroups().isEmpty(), "the server has the proxy's stream");

        view.start().get(WAIT.toSeconds(), TimeUnit.SECONDS); // the later event that answers it
        DiscoveryResponse first = probe.next(AdsProbe.CDS, WAIT);
        assertThat(XdsMessages.resources(first).keySet()).as("the first clusters sent")
            .anyMatch(name -> name.contains("payments"));
      } finally {
        client.close();
      }
    }
  }
}
