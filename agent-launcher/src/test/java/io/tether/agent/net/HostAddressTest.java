package io.tether.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.net.HostAddress.Choice;
import io.tether.agent.net.HostAddress.Nic;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default {@code --address}: from a route table and interfaces as /proc and java.net show them. */
class HostAddressTest {
  private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
  private static final String DEFAULT_VIA_ETH0 = HEADER
      + "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
      + "eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
      + "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
  private static final Nic LO = nic("lo", true, true, "127.0.0.1", "127.0.1.1", "::1");
  private static final Nic DOCKER0 = nic("docker0", true, false, "172.17.0.1");
  private static final Nic ETH0 = nic("eth0", true, false, "fe80::1", "10.0.0.5");

  @Test
  void takesTheIpv4AddressOfTheDefaultRoutesInterface() {
    Choice choice = HostAddress.choose(DEFAULT_VIA_ETH0, List.of(LO, DOCKER0, ETH0), false);
    assertThat(choice.address()).isEqualTo("10.0.0.5");
    assertThat(choice.reason()).isEqualTo("the address of eth0, the default route's interface");
  }

  @Test
  void ofSeveralDefaultRoutesTakesTheLowestMetricAndIgnoresRoutesThatAreDown() {
    String routes = HEADER
        + "wg0\t00000000\t00000000\t0000\t0\t0\t0\t00000000\t0\t0\t0\n" // not RTF_UP
        + "eth0\t00000000\t0100000A\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
        + "eth1\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
    assertThat(HostAddress.defaultRouteInterface(routes)).contains("eth1");
    assertThat(HostAddress.defaultRouteInterface(HEADER + "eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"))
        .isEmpty();
  }

  @Test
  void withoutADefaultRouteTakesTheFirstUpNonLoopbackNonLinkLocalAddress() {
    Nic down = nic("eth0", false, false, "10.1.1.1");
    Nic wlan0 = nic("wlan0", true, false, "169.254.3.3", "2001:db8::7", "192.168.1.20");
    Choice choice = HostAddress.choose("", List.of(LO, down, wlan0), false);
    assertThat(choice.address()).isEqualTo("192.168.1.20");
    assertThat(choice.reason()).isEqualTo("the address of wlan0, the first non-loopback interface (no default route)");
  }

  @Test
  void anIpv6OnlyHostGetsItsGlobalAddressWithoutTheScope() throws Exception {
    InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("2001:db8::5").getAddress(), 2);
    Nic eth0 = new Nic("eth0", true, false, List.of(InetAddress.getByName("fe80::5"), scoped));
    assertThat(HostAddress.choose(DEFAULT_VIA_ETH0, List.of(LO, eth0), false).address()).isEqualTo("2001:db8:0:0:0:0:0:5");
  }

  @Test
  void aHostWithOnlyLoopbackIsRefusedUnlessLoopbackIsAllowed() {
    assertThatThrownBy(() -> HostAddress.choose("", List.of(LO), false))
        .hasMessageContaining("no non-loopback address").hasMessageContaining("--address IP")
        .hasMessageContaining("--allow-loopback-address");
    assertThat(HostAddress.choose("", List.of(LO), true).address()).isEqualTo("127.0.0.1");
  }

  private static Nic nic(String name, boolean up, boolean loopback, String... addresses) {
    return new Nic(name, up, loopback, List.of(addresses).stream().map(HostAddressTest::literal).toList());
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address); // a literal: no name lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
