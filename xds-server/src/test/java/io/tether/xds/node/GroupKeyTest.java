package io.tether.xds.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.VipRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Groups are told apart by what changes the resources, and only by that. */
class GroupKeyTest {
  private static final List<ServedService> WEB = List.of(new ServedService("web", 15000, 8080));
  private static final VipRange HOST = new VipRange(100, 127);

  @Test
  void serverOnlyAndVipRangeEachMakeAnotherGroup() {
    GroupKey plain = new GroupKey("ns", ProxyKind.ENVOY, WEB);
    assertThat(new GroupKey("ns", ProxyKind.ENVOY, WEB, true, null)).isNotEqualTo(plain);
    assertThat(new GroupKey("ns", ProxyKind.ENVOY, WEB, false, HOST)).isNotEqualTo(plain)
        .isNotEqualTo(new GroupKey("ns", ProxyKind.ENVOY, WEB, false, new VipRange(100, 126)));
    assertThat(new GroupKey("ns", ProxyKind.ENVOY, WEB, false, null)).isEqualTo(plain);
    assertThat(new GroupKey("ns", ProxyKind.ENVOY, WEB, false, VipRange.REGISTRY)).isEqualTo(plain);
  }

  @Test
  void aRangeThatMovesNoListenerIsDropped() {
    assertThat(new GroupKey("ns", ProxyKind.ENVOY, WEB, true, HOST))
        .isEqualTo(new GroupKey("ns", ProxyKind.ENVOY, WEB, true, null));
    assertThat(new GroupKey("ns", ProxyKind.GRPC, List.of(), false, HOST)).isEqualTo(GroupKey.grpc("ns"));
  }

  @Test
  void serverOnlyIsForEnvoyNodesThatServe() {
    assertThatThrownBy(() -> new GroupKey("ns", ProxyKind.ENVOY, List.of(), true, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupKey("ns", ProxyKind.GRPC, WEB, true, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theZoneMakesAnotherGroupExceptForServerOnlyNodesWhichGetNoEndpoints() {
    GroupKey plain = new GroupKey("ns", ProxyKind.ENVOY, WEB);
    assertThat(plain.zone()).isNull();
    assertThat(plain.withZone("zone-a")).isNotEqualTo(plain).isNotEqualTo(plain.withZone("zone-b"));
    assertThat(plain.withZone(null)).isEqualTo(plain);
    GroupKey serverOnly = new GroupKey("ns", ProxyKind.ENVOY, WEB, true, null);
    assertThat(serverOnly.withZone("zone-a")).isEqualTo(serverOnly);
    assertThat(serverOnly.withZone("zone-a").zone()).isNull();
    assertThat(GroupKey.grpc("ns").withZone("zone-a")).isNotEqualTo(GroupKey.grpc("ns"));
  }
}
