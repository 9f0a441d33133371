package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default gateway read from /proc/net/route's text. */
class EcsDefaultGatewayTest {
  @Test
  void aBridgeContainersGatewayIsTheDockerBridge() {
    assertThat(DefaultGateway.parse(Fixtures.text("proc-net-route-bridge.txt"))).contains("172.17.0.1");
  }

  @Test
  void ofSeveralDefaultRoutesTheGatewayRouteWithTheLowestMetricWins() {
    // tun0's default route has the lowest metric but no gateway (a point-to-point link): it is skipped.
    assertThat(DefaultGateway.parse(Fixtures.text("proc-net-route-host.txt"))).contains("10.0.1.1");
  }

  @Test
  void withoutADefaultRouteThereIsNone() {
    String routes = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        + "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
    assertThat(DefaultGateway.parse(routes)).isEmpty();
    assertThat(DefaultGateway.parse("")).isEmpty();
  }

  @Test
  void aDownRouteIsSkippedAndMalformedLinesAreIgnored() {
    String routes = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        + "eth1\t00000000\t0102A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "garbage line\n"
        + "eth0\t00000000\tZZ0011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "eth2\t00000000\t0103A8C0\t0003\t0\t0\t5\t00000000\t0\t0\t0\n";
    assertThat(DefaultGateway.parse(routes)).contains("192.168.3.1");
  }
}
