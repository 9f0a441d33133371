package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VipRangeTest {
  @Test
  void rebasesRegistryVipsIntoTheRange() {
    VipRange range = VipRange.parse("100.127.0.0/16");
    assertThat(range.rebase("127.255.3.7")).isEqualTo("100.127.3.7");
    assertThat(range.rebase("127.255.0.1")).isEqualTo("100.127.0.1");
    assertThat(range.cidr()).isEqualTo("100.127.0.0/16");
  }

  @Test
  void keepsAddressesOutsideTheRegistryRange() {
    assertThat(VipRange.parse("100.127.0.0/16").rebase("10.0.0.5")).isEqualTo("10.0.0.5");
  }

  @Test
  void theRegistryRangeIsTheIdentity() {
    assertThat(VipRange.parse("127.255.0.0/16")).isEqualTo(VipRange.REGISTRY);
    assertThat(VipRange.REGISTRY.rebase("127.255.9.9")).isEqualTo("127.255.9.9");
  }

  @Test
  void refusesWhatIsNotARoutableSlash16() {
    assertThatThrownBy(() -> VipRange.parse("100.127.0.0/24")).hasMessageContaining("must be an IPv4 /16");
    assertThatThrownBy(() -> VipRange.parse("100.127.1.0/16")).hasMessageContaining("must be an IPv4 /16");
    assertThatThrownBy(() -> VipRange.parse("300.1.0.0/16")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> VipRange.parse("127.1.0.0/16")).hasMessageContaining("is loopback");
    assertThatThrownBy(() -> VipRange.parse("0.1.0.0/16")).hasMessageContaining("not a unicast");
    assertThatThrownBy(() -> VipRange.parse("239.1.0.0/16")).hasMessageContaining("not a unicast");
  }
}
