package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.registry.testing.Poll;
import io.tether.xds.identity.LeafIssuer;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.identity.Pem;
import io.tether.xds.identity.TestCa;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.TrustDomain;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDS secrets of Envoy groups: in the first snapshot (the leaf it calls with, one per served service,
 * the trust bundle), none for proxyless, renewed per identity.
 */
class SecretsPublisherTest extends PublisherFixture {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final GroupKey API_SIDECAR = new GroupKey("ns", ProxyKind.ENVOY,
      List.of(new ServedService("api", 15001, 8081)));
  private static final GroupKey WEB_AND_API = new GroupKey("ns", ProxyKind.ENVOY,
      List.of(new ServedService("api", 15001, 8081), new ServedService("web", 15000, 8080)));
  private static final GroupKey ANONYMOUS = new GroupKey("ns", ProxyKind.ENVOY, List.of());
  private static final TestCa.ManualClock CLOCK = new TestCa.ManualClock(START);

  SecretsPublisherTest() {
    super(new MeshIdentities(TrustDomain.DEFAULT, new LeafIssuer(MeshCa.generate("tether.local", START),
        Duration.ofSeconds(20), CLOCK, new SimpleMeterRegistry())));
  }

  @Test
  void everyEnvoyGroupGetsItsIdentityAndTheTrustBundleAndProxylessGroupsGetNone() throws Exception {
    startWithWebAndApi(SIDECAR, ANONYMOUS, GRPC);
    assertThat(served(SIDECAR).of(ResourceType.SECRET).resources().keySet())
        .containsExactlyInAnyOrder(TrustDomain.IDENTITY_SECRET, "tether/svc/web", TrustDomain.TRUST_BUNDLE_SECRET);
    assertThat(sanOf(SIDECAR)).isEqualTo("spiffe://tether.local/ns/ns/svc/web");
    assertThat(sanOf(SIDECAR, "tether/svc/web")).isEqualTo("spiffe://tether.local/ns/ns/svc/web");
    assertThat(sanOf(ANONYMOUS)).isEqualTo("spiffe://tether.local/ns/ns/client");
    assertThat(served(GRPC).of(ResourceType.SECRET).resources()).isEmpty();
  }

  @Test
  void aSidecarServingTwoServicesPresentsEachOnItsIngressAndCallsAsTheFirst() throws Exception {
    startWithWebAndApi(WEB_AND_API);
    assertThat(served(WEB_AND_API).of(ResourceType.SECRET).resources().keySet()).containsExactlyInAnyOrder(
        TrustDomain.IDENTITY_SECRET, "tether/svc/api", "tether/svc/web", TrustDomain.TRUST_BUNDLE_SECRET);
    assertThat(sanOf(WEB_AND_API, "tether/svc/api")).isEqualTo("spiffe://tether.local/ns/ns/svc/api");
    assertThat(sanOf(WEB_AND_API, "tether/svc/web")).isEqualTo("spiffe://tether.local/ns/ns/svc/web");
    assertThat(sanOf(WEB_AND_API)).isEqualTo("spiffe://tether.local/ns/ns/svc/api");
  }

  @Test
  void aReRenderWithoutRenewalLeavesTheSecretsAsTheyAre() throws Exception {
    startWithWebAndApi(SIDECAR);
    VersionedResource<?> before = identity(SIDECAR);
    view.rewriteSpec("ns", "web");
    publisher.awaitIdle();
    assertThat(identity(SIDECAR)).isSameAs(before);
  }

  @Test
  void aRenewalIsPublishedToTheGroupsOfThatIdentityOnly() throws Exception {
    startWithWebAndApi(SIDECAR);
    CLOCK.advance(Duration.ofSeconds(6));
    connect(API_SIDECAR);
    publisher.awaitIdle();
    String web = identity(SIDECAR).version();
    String webServing = secret(SIDECAR, "tether/svc/web").version();
    String api = identity(API_SIDECAR).version();
    published.clear();

    CLOCK.advance(Duration.ofSeconds(5)); // web's leaf is past half its life, api's is not
    Poll.until(Duration.ofSeconds(5), () -> !identity(SIDECAR).version().equals(web), "web's leaf renewed");
    publisher.awaitIdle(); // the renewal pass that renewed web is over: api's had its chance
    assertThat(secret(SIDECAR, "tether/svc/web").version()).as("the served service's leaf, renewed with it")
        .isNotEqualTo(webServing).isEqualTo(identity(SIDECAR).version());
    assertThat(identity(API_SIDECAR).version()).isEqualTo(api);
    assertThat(published).containsOnly(SIDECAR);
    assertThat(sanOf(SIDECAR)).isEqualTo("spiffe://tether.local/ns/ns/svc/web");
  }

  @Test
  void aLeafRenewedForANewGroupReachesTheGroupsHoldingTheOldOne() throws Exception {
    GroupKey webOnOtherPort = new GroupKey("ns", ProxyKind.ENVOY, List.of(new ServedService("web", 15000, 9090)));
    startWithWebAndApi(SIDECAR);
    String old = identity(SIDECAR).version();

    CLOCK.advance(Duration.ofSeconds(11)); // past half its life: the new group's first snapshot may renew it
    connect(webOnOtherPort);
    publisher.awaitIdle();
    String renewed = identity(webOnOtherPort).version();
    assertThat(renewed).isNotEqualTo(old);
    Poll.until(Duration.ofSeconds(5), () -> identity(SIDECAR).version().equals(renewed),
        "the older group holds the leaf the new group was issued");
  }

  private VersionedResource<?> identity(GroupKey group) {
    return secret(group, TrustDomain.IDENTITY_SECRET);
  }

  private VersionedResource<?> secret(GroupKey group, String name) {
    return served(group).of(ResourceType.SECRET).resources().get(name);
  }

  private String sanOf(GroupKey group) throws Exception {
    return sanOf(group, TrustDomain.IDENTITY_SECRET);
  }

  private String sanOf(GroupKey group, String name) throws Exception {
    Secret s = (Secret) secret(group, name).resource();
    X509Certificate leaf = Pem.certificates(s.getTlsCertificate().getCertificateChain().getInlineString(), "chain").get(0);
    return (String) leaf.getSubjectAlternativeNames().iterator().next().get(1);
  }
}
