package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.model.Tracing;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.render.ResourceNames;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A namespace's tracing on live groups: turning it on, changing it and turning it off reach every Envoy
 * group of the namespace (a server-only one too) as the collector cluster and new listeners, and no
 * proxyless group at all.
 */
class TracingPublisherTest extends PublisherFixture {
  private static final String COLLECTOR = ResourceNames.collectorCluster("ns");
  private static final GroupKey SERVER_ONLY = new GroupKey("ns", ProxyKind.ENVOY,
      List.of(new ServedService("api", 15001, 8081)), true, null);

  @Test
  void tracingOnChangedAndOffReachesEveryEnvoyGroupAndNoProxylessOne() throws Exception {
    startWithWebAndApi(SIDECAR, SERVER_ONLY, GRPC);
    GroupSnapshot grpcBefore = served(GRPC);
    assertThat(served(SIDECAR).of(ResourceType.CLUSTER).resources()).doesNotContainKey(COLLECTOR);

    view.putNamespace("ns", new Tracing("10.0.9.4:4317", 5.0));
    publisher.awaitIdle();
    assertThat(served(SIDECAR).of(ResourceType.CLUSTER).resources()).containsKey(COLLECTOR);
    assertThat(served(SERVER_ONLY).of(ResourceType.CLUSTER).resources()).containsKey(COLLECTOR);
    assertThat(served(GRPC).of(ResourceType.CLUSTER).resources()).doesNotContainKey(COLLECTOR);

    GroupSnapshot on = served(SIDECAR);
    view.putNamespace("ns", new Tracing("otel.observability:4317", 5.0));
    publisher.awaitIdle();
    assertThat(changedNames(on, served(SIDECAR))).as("a namespace change: everything, the collector too")
        .contains(ResourceType.CLUSTER + " " + COLLECTOR, ResourceType.LISTENER + " " + ResourceNames.ingressListener("web"));

    view.putNamespace("ns", null);
    publisher.awaitIdle();
    assertThat(served(SIDECAR).of(ResourceType.CLUSTER).resources()).doesNotContainKey(COLLECTOR);
    assertThat(served(SERVER_ONLY).of(ResourceType.CLUSTER).resources()).doesNotContainKey(COLLECTOR);
    assertThat(served(GRPC).of(ResourceType.CLUSTER).resources().keySet())
        .isEqualTo(grpcBefore.of(ResourceType.CLUSTER).resources().keySet());
  }
}
