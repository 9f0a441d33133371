package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.model.ServicePolicy;
import io.tether.model.Tls;
import io.tether.model.TlsMode;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.render.ResourceNames;
import io.tether.xds.render.TrustDomain;
import io.tether.xds.identity.LeafIssuer;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.identity.MeshIdentities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service's {@code tls.mode} as the publisher serves it: a mode change is a new version of exactly the
 * resources it changes (the callee's ingress listener and its callers' cluster), and the trust domain
 * the publisher is given is the one its SPIFFE IDs are in.
 */
class TlsModePublisherTest extends PublisherFixture {
  private static final String INGRESS = ResourceNames.ingressListener("web");

  @Test
  void aModeChangeGivesTheIngressAndTheClusterNewVersionsAndNothingElse() throws Exception {
    startWithWebAndApi(SIDECAR);
    GroupSnapshot permissive = served(SIDECAR);
    assertThat(ingress(permissive).getFilterChainsCount()).as("PERMISSIVE by default: mTLS and plaintext").isEqualTo(2);

    view.putSpec("ns", Registry.httpSpec("web").withPolicy(ServicePolicy.EMPTY.withTls(new Tls(TlsMode.STRICT))));
    publisher.awaitIdle();
    GroupSnapshot strict = served(SIDECAR);
    assertThat(changedNames(permissive, strict)).containsExactlyInAnyOrder(ResourceType.CLUSTER + " " + WEB,
        ResourceType.CLUSTER + " " + ResourceNames.localCluster("web"), ResourceType.LISTENER + " " + INGRESS);
    assertThat(version(strict, ResourceType.LISTENER, INGRESS)).isNotEqualTo(version(permissive, ResourceType.LISTENER,
        INGRESS));
    assertThat(version(strict, ResourceType.CLUSTER, WEB)).isNotEqualTo(version(permissive, ResourceType.CLUSTER, WEB));
    assertThat(ingress(strict).getFilterChainsCount()).as("STRICT: mTLS only").isEqualTo(1);

    view.putSpec("ns", Registry.httpSpec("web").withPolicy(ServicePolicy.EMPTY.withTls(new Tls(TlsMode.DISABLED))));
    publisher.awaitIdle();
    assertThat(cluster(served(SIDECAR), WEB).getTransportSocketMatchesCount()).as("DISABLED: no TLS to it").isZero();
    assertThat(ingress(served(SIDECAR)).getFilterChains(0).hasTransportSocket()).isFalse();
  }

  @Test
  void theCalleesIdentityIsInThePublishersTrustDomain() throws Exception {
    TetherCache ownCache = new TetherCache();
    Registry ownView = new Registry();
    ownView.load(Map.of("web", new String[] {"10.0.0.1"}));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MeshIdentities identities = new MeshIdentities(new TrustDomain("example.org"), new LeafIssuer(
        MeshCa.generate("example.org", Instant.now()), Duration.ofHours(1), Clock.systemUTC(), meters));
    try (SnapshotPublisher own = new SnapshotPublisher(ownCache, ownView, meters, identities)) {
      own.start();
      ownCache.open(1);
      if (ownCache.identify(1, new NodeIdentity("n", "c", "test", "client-and-server", SIDECAR), false)) {
        own.groupConnected(SIDECAR);
      }
      own.awaitIdle();
      UpstreamTlsContext tls = cluster(ownCache.snapshot(SIDECAR).orElseThrow(), WEB).getTransportSocketMatches(0)
          .getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
      assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
          .getMatchTypedSubjectAltNames(0).getMatcher().getExact()).isEqualTo("spiffe://example.org/ns/ns/svc/web");
    }
  }

  private static Listener ingress(GroupSnapshot s) {
    return (Listener) s.of(ResourceType.LISTENER).resources().get(INGRESS).resource();
  }

  private static Cluster cluster(GroupSnapshot s, String name) {
    return (Cluster) s.of(ResourceType.CLUSTER).resources().get(name).resource();
  }

  private static String version(GroupSnapshot s, ResourceType type, String name) {
    return s.of(type).resources().get(name).version();
  }
}
