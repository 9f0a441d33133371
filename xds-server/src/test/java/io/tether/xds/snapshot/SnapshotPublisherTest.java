package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.model.ServicePolicy;
import io.tether.model.Tls;
import io.tether.model.TlsMode;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.render.ResourceNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a group is sent, and what an update re-renders: endpoints, a spec, VIPs, the namespace. */
class SnapshotPublisherTest extends PublisherFixture {
  @Test
  void aGroupIsSentItsNamespaceRenderedForItsKindAndItsOwnIngress() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    view.putService("other", "elsewhere", "10.9.0.1");
    publisher.start();
    connect(SIDECAR);
    connect(GRPC);
    publisher.awaitIdle();

    GroupSnapshot sidecar = served(SIDECAR);
    assertThat(sidecar.of(ResourceType.CLUSTER).resources().keySet())
        .containsExactlyInAnyOrder(WEB, API, ResourceNames.localCluster("web"));
    assertThat(sidecar.of(ResourceType.ENDPOINT).resources().keySet()).containsExactlyInAnyOrder(WEB, API);
    assertThat(sidecar.of(ResourceType.LISTENER).resources()).containsKey(ResourceNames.ingressListener("web"));
    GroupSnapshot grpc = served(GRPC);
    assertThat(grpc.of(ResourceType.CLUSTER).resources().keySet()).containsExactlyInAnyOrder(WEB, API);
    assertThat(grpc.of(ResourceType.LISTENER).resources())
        .containsKeys(ResourceNames.apiListener("web:8080"), ResourceNames.apiListener("api:8080"));
    assertThat(grpc.of(ResourceType.ENDPOINT).resources().get(WEB))
        .isSameAs(sidecar.of(ResourceType.ENDPOINT).resources().get(WEB));
    assertThat(published).containsExactlyInAnyOrder(SIDECAR, GRPC);
  }

  @Test
  void anEndpointChangeReRendersOneAssignmentSharedByEveryGroupOfTheNamespace() throws Exception {
    startWithWebAndApi(SIDECAR, GRPC);
    GroupSnapshot before = served(SIDECAR);

    view.putEndpoints("ns", "web", "10.0.0.1", "10.0.0.3");
    publisher.awaitIdle();
    GroupSnapshot after = served(SIDECAR);
    assertThat(changedNames(before, after)).containsExactly(ResourceType.ENDPOINT + " " + WEB);
    assertThat(served(GRPC).of(ResourceType.ENDPOINT).resources().get(WEB))
        .isSameAs(after.of(ResourceType.ENDPOINT).resources().get(WEB));
    assertThat(published).hasSize(4);
  }

  @Test
  void aSpecChangeReRendersThatServiceOnly() throws Exception {
    startWithWebAndApi(GRPC);
    GroupSnapshot before = served(GRPC);

    view.putSpec("ns", Registry.httpSpec("api").withPolicy(ServicePolicy.EMPTY.withTls(new Tls(TlsMode.STRICT))));
    publisher.awaitIdle();
    assertThat(changedNames(before, served(GRPC))).isNotEmpty()
        .allSatisfy(n -> assertThat(n).doesNotContain("web")).contains(ResourceType.CLUSTER + " " + API);
  }

  @Test
  void aRemovedServiceLeavesTheSnapshot() throws Exception {
    startWithWebAndApi(SIDECAR);
    view.removeService("ns", "api");
    publisher.awaitIdle();
    GroupSnapshot after = served(SIDECAR);
    assertThat(after.of(ResourceType.CLUSTER).resources()).doesNotContainKey(API).containsKey(WEB);
    assertThat(after.of(ResourceType.ENDPOINT).resources()).doesNotContainKey(API);
  }

  @Test
  void aRewrittenUnchangedSpecReSendsNothingAndAChangedOneItsServiceAndTheIngressOfTheSidecarsServingIt()
      throws Exception {
    startWithWebAndApi(SIDECAR);
    GroupSnapshot before = served(SIDECAR);
    view.rewriteSpec("ns", "api");
    publisher.awaitIdle();
    GroupSnapshot apiRewritten = served(SIDECAR);
    assertThat(changedNames(before, apiRewritten)).as("versioned by what they are rendered from, not by revision")
        .isEmpty();

    view.putSpec("ns", Registry.httpSpec("web").withPolicy(ServicePolicy.EMPTY.withTls(new Tls(TlsMode.STRICT))));
    publisher.awaitIdle();
    assertThat(changedNames(apiRewritten, served(SIDECAR))).containsExactlyInAnyOrder(ResourceType.CLUSTER + " " + WEB,
        ResourceType.CLUSTER + " " + ResourceNames.localCluster("web"),
        ResourceType.LISTENER + " " + ResourceNames.ingressListener("web"));
  }

  @Test
  void aServiceChangedAndThenRemovedLeavesTheSnapshot() throws Exception {
    startWithWebAndApi(GRPC);
    view.rewriteSpec("ns", "api");
    view.putEndpoints("ns", "api", "10.0.0.3");
    view.removeService("ns", "api");
    publisher.awaitIdle();
    GroupSnapshot after = served(GRPC);
    assertThat(after.of(ResourceType.CLUSTER).resources()).containsOnlyKeys(WEB);
    assertThat(after.of(ResourceType.ENDPOINT).resources()).containsOnlyKeys(WEB);
    assertThat(after.of(ResourceType.LISTENER).resources()).doesNotContainKey(ResourceNames.apiListener("api:8080"));
  }

  @Test
  void aSidecarServingAServiceNotYetRegisteredGetsItsIngressOnceItIs() throws Exception {
    view.load(Map.of("api", new String[] {"10.0.0.2"}));
    publisher.start();
    connect(SIDECAR);
    publisher.awaitIdle();
    assertThat(served(SIDECAR).of(ResourceType.LISTENER).resources()).isEmpty();

    view.putService("ns", "web", "10.0.0.1");
    publisher.awaitIdle();
    assertThat(served(SIDECAR).of(ResourceType.LISTENER).resources())
        .containsOnlyKeys(ResourceNames.ingressListener("web"));
  }

  @Test
  void anAllocatedVipGivesTheSidecarItsAliasesEgressListenerAndRoute() throws Exception {
    startWithWebAndApi(SIDECAR);
    GroupSnapshot before = served(SIDECAR);
    view.putVip("ns", "web:8080", "10.255.0.1");
    publisher.awaitIdle();
    GroupSnapshot after = served(SIDECAR);
    assertThat(after.of(ResourceType.LISTENER).resources().get(ResourceNames.egressListener("web:8080")).resource())
        .asString().contains("10.255.0.1");
    assertThat(after.of(ResourceType.ROUTE).resources()).containsOnlyKeys(ResourceNames.route("web:8080"));
    assertThat(changedNames(before, after)).as("no alias of api has a VIP: api is not re-rendered")
        .noneMatch(n -> n.endsWith(API));

    view.putVip("ns", "web:8080", null);
    publisher.awaitIdle();
    assertThat(served(SIDECAR).of(ResourceType.ROUTE).resources()).isEmpty();
    assertThat(served(SIDECAR).of(ResourceType.LISTENER).resources())
        .containsOnlyKeys(ResourceNames.ingressListener("web"));
  }

  @Test
  void aNamespaceChangeReRendersEveryServiceAndTheIngress() throws Exception {
    startWithWebAndApi(SIDECAR);
    GroupSnapshot before = served(SIDECAR);
    view.putNamespace("ns");
    publisher.awaitIdle();
    assertThat(changedNames(before, served(SIDECAR))).containsExactlyInAnyOrder(ResourceType.CLUSTER + " " + WEB,
        ResourceType.CLUSTER + " " + API, ResourceType.CLUSTER + " " + ResourceNames.localCluster("web"),
        ResourceType.LISTENER + " " + ResourceNames.ingressListener("web"));
  }
}
