package io.tether.xds.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.tether.model.VipRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Node metadata: the modes, {@code vipRange}, and the groups they put nodes in. */
class NodeMetadataParserTest {
  private static final String ENVOY = "envoy";
  private static final String GRPC = "gRPC Java";
  private static final List<ServedService> PAYMENTS = List.of(new ServedService("payments", 15000, 8080));

  @Test
  void serverOnlyEnvoyNodeServesItsServicesInAGroupOfItsOwn() throws Exception {
    NodeIdentity id = NodeMetadataParser.parse(node(ENVOY, metadata("server-only", true, null)));
    assertThat(id.mode()).isEqualTo("server-only");
    assertThat(id.group()).isEqualTo(new GroupKey("prod", ProxyKind.ENVOY, PAYMENTS, true, null));
    assertThat(id.group().callsServices()).isFalse();
    assertThat(id.group()).isNotEqualTo(new GroupKey("prod", ProxyKind.ENVOY, PAYMENTS));
  }

  @Test
  void serverOnlyNodesShareAGroupWhateverVipRangeTheyDeclare() throws Exception {
    GroupKey plain = NodeMetadataParser.parse(node(ENVOY, metadata("server-only", true, null))).group();
    GroupKey ranged = NodeMetadataParser.parse(node(ENVOY, metadata("server-only", true, "100.127.0.0/16"))).group();
    assertThat(ranged).isEqualTo(plain);
    assertThat(ranged.vipRange()).isEqualTo(VipRange.REGISTRY);
  }

  @Test
  void serverOnlyWithoutServicesIsRefused() {
    assertRefused(node(ENVOY, metadata("server-only", false, null)), "node.metadata.mode 'server-only' needs "
        + "node.metadata.services: a server-only node serves a service and calls none");
    Struct emptyList = metadata("server-only", false, null).toBuilder()
        .putFields("services", Value.newBuilder().setListValue(ListValue.getDefaultInstance()).build()).build();
    assertRefused(node(ENVOY, emptyList), "node.metadata.mode 'server-only' needs node.metadata.services: a "
        + "server-only node serves a service and calls none");
  }

  @Test
  void serverOnlyProxylessClientIsRefused() {
    assertRefused(node(GRPC, metadata("server-only", true, null)), "node.metadata.mode 'server-only' is for Envoy "
        + "sidecars: a proxyless gRPC client serves nothing through xDS; use 'client-only'");
  }

  @Test
  void unknownModeNamesTheThreeModes() {
    assertRefused(node(ENVOY, metadata("ingress-only", true, null)),
        "node.metadata.mode must be 'client-and-server', 'client-only' or 'server-only'");
  }

  @Test
  void vipRangeIsPartOfTheGroupSoNodesWithDifferentRangesGetDifferentGroups() throws Exception {
    GroupKey a = NodeMetadataParser.parse(node(ENVOY, metadata("client-only", false, "100.127.0.0/16"))).group();
    GroupKey b = NodeMetadataParser.parse(node(ENVOY, metadata("client-only", false, "100.126.0.0/16"))).group();
    GroupKey none = NodeMetadataParser.parse(node(ENVOY, metadata("client-only", false, null))).group();
    assertThat(a.vipRange()).isEqualTo(new VipRange(100, 127));
    assertThat(a).isNotEqualTo(b).isNotEqualTo(none);
    assertThat(NodeMetadataParser.parse(node(ENVOY, metadata("client-only", false, " 100.127.0.0/16"))).group())
        .isEqualTo(a);
  }

  @Test
  void theRegistrysOwnRangeIsNoRangeAtAll() throws Exception {
    GroupKey registry = NodeMetadataParser.parse(node(ENVOY, metadata(null, true, "127.255.0.0/16"))).group();
    assertThat(registry).isEqualTo(new GroupKey("prod", ProxyKind.ENVOY, PAYMENTS));
  }

  @Test
  void proxylessClientsIgnoreVipRangeEvenAnInvalidOne() throws Exception {
    assertThat(NodeMetadataParser.parse(node(GRPC, metadata(null, false, "100.127.0.0/16"))).group())
        .isEqualTo(GroupKey.grpc("prod"));
    assertThat(NodeMetadataParser.parse(node(GRPC, metadata(null, false, "nonsense"))).group())
        .isEqualTo(GroupKey.grpc("prod"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"100.127.0.0/24", "10.1.2.0/16", "127.0.0.0/16", "300.1.0.0/16", "224.0.0.0/16", ""})
  void invalidVipRangeIsRefusedWithVipRangesOwnMessage(String cidr) {
    String expected = catchMessage(cidr);
    assertRefused(node(ENVOY, metadata(null, true, cidr)), expected);
  }

  @Test
  void vipRangeMustBeAString() {
    Struct m = metadata(null, true, null).toBuilder()
        .putFields("vipRange", Value.newBuilder().setNumberValue(100).build()).build();
    assertRefused(node(ENVOY, m), "node.metadata.vipRange must be a string");
  }

  @Test
  void modesKeepTheirMeaningWithoutTheNewFields() throws Exception {
    assertThat(NodeMetadataParser.parse(node(ENVOY, metadata(null, true, null))).group())
        .isEqualTo(new GroupKey("prod", ProxyKind.ENVOY, PAYMENTS));
    NodeIdentity clientOnly = NodeMetadataParser.parse(node(ENVOY, metadata("client-only", true, null)));
    assertThat(clientOnly.group()).isEqualTo(new GroupKey("prod", ProxyKind.ENVOY, List.of()));
    assertThat(clientOnly.group().callsServices()).isTrue();
  }

  @Test
  void theIdentityIsTheFirstServedServiceInTheNodesOrderElseTheClaimedOneElseTheAnonymousClient() throws Exception {
    Struct two = withServices("zeta", "alpha").toBuilder().putFields("identity", string("other")).build();
    GroupKey served = NodeMetadataParser.parse(node(ENVOY, two)).group();
    assertThat(served.identity()).isEqualTo("zeta");
    assertThat(served.served()).extracting(ServedService::discoveryName).containsExactly("alpha", "zeta");

    Struct claims = metadata(null, false, null).toBuilder().putFields("identity", string("checkout")).build();
    GroupKey caller = NodeMetadataParser.parse(node(ENVOY, claims)).group();
    assertThat(caller.identity()).isEqualTo("checkout");
    assertThat(caller).isNotEqualTo(NodeMetadataParser.parse(node(ENVOY, metadata(null, false, null))).group());
    assertThat(NodeMetadataParser.parse(node(ENVOY, metadata(null, false, null))).group().identity()).isNull();
  }

  @Test
  void proxylessClientsHaveNoIdentityInTheirGroup() throws Exception {
    Struct claims = metadata(null, false, null).toBuilder().putFields("identity", string("checkout")).build();
    assertThat(NodeMetadataParser.parse(node(GRPC, claims)).group()).isEqualTo(GroupKey.grpc("prod"));
  }

  @Test
  void aProxylessClientWithTheCertificateProviderIsAGroupOfItsOwn() throws Exception {
    Struct certs = metadata(null, false, null).toBuilder().putFields("certificates", string("file_watcher")).build();
    GroupKey group = NodeMetadataParser.parse(node(GRPC, certs)).group();
    assertThat(group).isEqualTo(GroupKey.grpcWithCertificates("prod")).isNotEqualTo(GroupKey.grpc("prod"));
    assertThat(group.certificates()).isTrue();
    assertThat(NodeMetadataParser.parse(node(ENVOY, certs)).group().certificates())
        .as("Envoy gets its certificates over SDS").isFalse();
  }

  @Test
  void aCertificateProviderOtherThanFileWatcherIsRefused() {
    Struct other = metadata(null, false, null).toBuilder().putFields("certificates", string("spire")).build();
    assertRefused(node(GRPC, other), "node.metadata.certificates must be 'file_watcher' (the bootstrap's "
        + "certificate provider 'tether'), not 'spire'");
    Struct notString = metadata(null, false, null).toBuilder()
        .putFields("certificates", Value.newBuilder().setBoolValue(true).build()).build();
    assertRefused(node(GRPC, notString), "node.metadata.certificates must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Checkout", "a_b", "-x", "spiffe://tether.local/ns/prod/svc/x"})
  void anIdentityThatIsNotADnsLabelIsRefused(String bad) {
    Struct claims = metadata(null, true, null).toBuilder().putFields("identity", string(bad)).build();
    assertRefused(node(ENVOY, claims), "node.metadata.identity '" + bad + "' is not a DNS label");
  }

  @Test
  void theLocalityZoneIsTheGroupsZoneForBothKinds() throws Exception {
    for (String agent : List.of(ENVOY, GRPC)) {
      GroupKey zoned = NodeMetadataParser.parse(inZone(node(agent, metadata(null, false, null)), "eu-west-1a")).group();
      assertThat(zoned.zone()).as(agent).isEqualTo("eu-west-1a");
      assertThat(zoned).isEqualTo(NodeMetadataParser.parse(node(agent, metadata(null, false, null))).group()
          .withZone("eu-west-1a"));
    }
    Node regionOnly = node(ENVOY, metadata(null, false, null)).toBuilder()
        .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder().setRegion("eu-west-1")).build();
    assertThat(NodeMetadataParser.parse(regionOnly).group().zone()).as("no zone, no zone").isNull();
  }

  @Test
  void aServerOnlyNodesZoneDoesNotSplitItsGroup() throws Exception {
    GroupKey zoned = NodeMetadataParser.parse(inZone(node(ENVOY, metadata("server-only", true, null)), "rack-1")).group();
    assertThat(zoned).isEqualTo(NodeMetadataParser.parse(node(ENVOY, metadata("server-only", true, null))).group());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x y", "Zone_A", "-a", "a..b"})
  void aZoneThatIsNotADnsNameIsRefused(String bad) {
    assertRefused(inZone(node(GRPC, metadata(null, false, null)), bad),
        "node.locality.zone '" + bad + "' is not a DNS name");
    assertRefused(inZone(node(ENVOY, metadata(null, false, null)), bad),
        "node.locality.zone '" + bad + "' is not a DNS name");
  }

  private static Node inZone(Node node, String zone) {
    return node.toBuilder().setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder().setZone(zone)).build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Struct withServices(String... names) {
    ListValue.Builder list = ListValue.newBuilder();
    for (int i = 0; i < names.length; i++) {
      list.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("discoveryName", string(names[i]))
          .putFields("ingressPort", Value.newBuilder().setNumberValue(15000 + i).build())
          .putFields("appPort", Value.newBuilder().setNumberValue(8080 + i).build())));
    }
    return metadata(null, false, null).toBuilder()
        .putFields("services", Value.newBuilder().setListValue(list).build()).build();
  }

  private static String catchMessage(String cidr) {
    try {
      VipRange.parse(cidr);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError(cidr + " parsed");
  }

  private static void assertRefused(Node node, String message) {
    assertThatThrownBy(() -> NodeMetadataParser.parse(node)).isInstanceOf(InvalidNodeException.class)
        .hasMessage(message);
  }

  private static Node node(String userAgent, Struct metadata) {
    return Node.newBuilder().setId("node-1").setCluster("payments").setUserAgentName(userAgent)
        .setMetadata(metadata).build();
  }

  /** {@code namespace: prod}, and each of mode, the payments service and vipRange when given. */
  private static Struct metadata(String mode, boolean payments, String vipRange) {
    Struct.Builder m = Struct.newBuilder().putFields("namespace", Value.newBuilder().setStringValue("prod").build());
    if (mode != null) {
      m.putFields("mode", Value.newBuilder().setStringValue(mode).build());
    }
    if (payments) {
      Struct service = Struct.newBuilder()
          .putFields("discoveryName", Value.newBuilder().setStringValue("payments").build())
          .putFields("ingressPort", Value.newBuilder().setNumberValue(15000).build())
          .putFields("appPort", Value.newBuilder().setNumberValue(8080).build()).build();
      m.putFields("services", Value.newBuilder()
          .setListValue(ListValue.newBuilder().addValues(Value.newBuilder().setStructValue(service))).build());
    }
    if (vipRange != null) {
      m.putFields("vipRange", Value.newBuilder().setStringValue(vipRange).build());
    }
    return m.build();
  }
}
