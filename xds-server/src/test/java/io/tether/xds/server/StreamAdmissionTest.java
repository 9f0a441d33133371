package io.tether.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources.V3;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.tether.registry.auth.Caller;
import io.tether.registry.auth.Role;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Identity and authorisation of ADS streams, and what the cache and the publisher are told of them. */
class StreamAdmissionTest {
  private static final Caller AGENT = new Caller("agent", Role.AGENT, "ns");

  private final TetherCache cache = new TetherCache();
  private final List<GroupKey> newGroups = new CopyOnWriteArrayList<>();
  private final StreamCensus census = new StreamCensus();
  private final StreamAdmission admission = new StreamAdmission(cache, (group, first) -> {
    if (first) {
      newGroups.add(group);
    }
  }, census);

  @Test
  void aStreamIsIdentifiedOnceAndItsGroupAnnouncedOnce() throws Exception {
    request(AGENT, 1, node("n1", "ns"));
    request(AGENT, 1, node("ignored", "other")); // later requests do not re-identify
    request(AGENT, 2, node("n2", "ns"));
    assertThat(cache.identityOf(1).orElseThrow().nodeId()).isEqualTo("n1");
    assertThat(newGroups).containsExactly(GroupKey.grpc("ns"));
    assertThat(census.summaryIfChanged()).isEqualTo("xDS streams: 2 open; ns: GRPC 2");

    admission.closed(1);
    admission.onStreamClose(1, V3.CLUSTER_TYPE_URL); // the second close of one stream changes nothing
    assertThat(cache.isOpen(1)).isFalse();
    assertThat(census.summaryIfChanged()).isEqualTo("xDS streams: 1 open; ns: GRPC 1");
    assertThat(census.summaryIfChanged()).isNull();
  }

  @Test
  void aTokenOfAnotherNamespaceIsRefused() {
    assertThatThrownBy(() -> request(AGENT, 1, node("n1", "other")))
        .isInstanceOfSatisfying(RequestException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(cache.identityOf(1)).isEmpty();
    assertThat(newGroups).isEmpty();
    assertThat(admission.refusals()).singleElement()
        .satisfies(r -> assertThat(r.namespace()).isEqualTo("other"))
        .satisfies(r -> assertThat(r.reason()).contains("not valid for namespace 'other'"));
  }

  @Test
  void invalidMetadataIsRefused() {
    assertThatThrownBy(() -> request(new Caller("admin", Role.ADMIN, null), 1, Node.newBuilder().setId("x").build()))
        .isInstanceOfSatisfying(RequestException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(admission.refusals()).singleElement().satisfies(r -> assertThat(r.namespace()).isNull());
  }

  @Test
  void aRequestOnAStreamThatIsNotOpenIsAnError() {
    assertThatThrownBy(() -> admission.onV3StreamRequest(9, DiscoveryRequest.newBuilder()
        .setNode(node("n", "ns")).build()))
        .isInstanceOfSatisfying(RequestException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
  }

  @Test
  void theCensusSummarisesByNamespaceAndKind() {
    census.opened(GroupKey.grpc("b"));
    census.opened(new GroupKey("a", ProxyKind.ENVOY, List.of()));
    census.opened(GroupKey.grpc("a"));
    assertThat(census.summaryIfChanged()).isEqualTo("xDS streams: 3 open; a: ENVOY 1, GRPC 1; b: GRPC 1");
    census.closed(GroupKey.grpc("b"));
    census.opened(GroupKey.grpc("b"));
    assertThat(census.summaryIfChanged()).isNull();
    census.closed(GroupKey.grpc("a"));
    census.closed(GroupKey.grpc("b"));
    census.closed(new GroupKey("a", ProxyKind.ENVOY, List.of()));
    assertThat(census.summaryIfChanged()).isEqualTo("xDS streams: none open");
  }

  /** One request on a stream, as java-control-plane delivers it: in the call's gRPC context. */
  private void request(Caller caller, long streamId, Node node) throws Exception {
    Context.current().withValue(XdsCall.KEY, new XdsCall(caller, null)).call(() -> {
      if (!cache.isOpen(streamId) && cache.identityOf(streamId).isEmpty()) {
        admission.onStreamOpen(streamId, V3.CLUSTER_TYPE_URL);
      }
      admission.onV3StreamRequest(streamId, DiscoveryRequest.newBuilder().setNode(node).build());
      return null;
    });
  }

  private static Node node(String id, String namespace) {
    return Node.newBuilder().setId(id).setUserAgentName("gRPC Java")
        .setMetadata(Struct.newBuilder().putFields("namespace", Value.newBuilder().setStringValue(namespace).build()))
        .build();
  }
}
