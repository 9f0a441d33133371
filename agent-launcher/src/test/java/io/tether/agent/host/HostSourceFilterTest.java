package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.tether.agent.relay.SourceFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** allowedSources: CIDR blocks of both families, matched as the kernel hands sources over. */
class HostSourceFilterTest {
  private static final SourceFilter FILTER = SourceFilter.parse("allowedSources",
      List.of("127.0.0.0/8", "172.17.0.0/16", "10.1.2.3", "fd00:1::/32", "::1"));

  private static boolean allows(String address) {
    return FILTER.allows(InetAddresses.forString(address));
  }

  @Test
  void addressesInsideABlockAreAllowed() {
    assertThat(allows("127.0.0.1")).isTrue();
    assertThat(allows("127.255.255.254")).isTrue();
    assertThat(allows("172.17.255.1")).isTrue();
    assertThat(allows("10.1.2.3")).as("a bare address is a block of one").isTrue();
    assertThat(allows("fd00:1:ffff::9")).isTrue();
    assertThat(allows("::1")).isTrue();
  }

  @Test
  void addressesOutsideEveryBlockAreRefused() {
    assertThat(allows("172.18.0.1")).isFalse();
    assertThat(allows("10.1.2.4")).isFalse();
    assertThat(allows("128.0.0.1")).isFalse();
    assertThat(allows("fd00:2::1")).isFalse();
    assertThat(FILTER.allows(null)).isFalse();
  }

  @Test
  void anIpv4MappedSourceIsMatchedAsTheIpv4AddressItIs() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 172, 17, 0, 5};

    assertThat(FILTER.allows(java.net.Inet6Address.getByAddress(null, mapped, -1))).isTrue();
  }

  @Test
  void prefixBoundariesAreExact() {
    SourceFilter odd = SourceFilter.parse("allowedSources", List.of("192.168.4.0/22", "0.0.0.0/0"));
    SourceFilter narrow = SourceFilter.parse("allowedSources", List.of("192.168.4.0/22"));

    assertThat(narrow.allows(InetAddresses.forString("192.168.7.255"))).isTrue();
    assertThat(narrow.allows(InetAddresses.forString("192.168.8.0"))).isFalse();
    assertThat(odd.allows(InetAddresses.forString("8.8.8.8"))).isTrue();
    assertThat(odd.allows(InetAddresses.forString("::2"))).as("an IPv4 block does not cover IPv6").isFalse();
  }

  @Test
  void badBlocksAreRefusedWithWhatToWrite() {
    assertThatThrownBy(() -> SourceFilter.parse("allowedSources", List.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> SourceFilter.parse("allowedSources", List.of("fd00::1/8")))
        .hasMessageContaining("did you mean fd00::/8?");
    assertThatThrownBy(() -> SourceFilter.parse("allowedSources", List.of("10.0.0.0/x")))
        .hasMessageContaining("prefix length must be 0 to 32");
  }
}
