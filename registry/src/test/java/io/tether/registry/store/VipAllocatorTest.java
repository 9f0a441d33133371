package io.tether.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The pure address choice: deterministic per seed, never a used, .0 or .255 address. */
class VipAllocatorTest {
  private static final Pattern VIP = Pattern.compile("127\\.255\\.(\\d{1,3})\\.(\\d{1,3})");

  @Test
  void sameSeedAndUsedSetAlwaysGiveTheSameAddress() {
    String first = VipAllocator.allocate("prod/payments", Set.of());
    for (int i = 0; i < 10; i++) {
      assertThat(VipAllocator.allocate("prod/payments", Set.of())).isEqualTo(first);
    }
    assertThat(VipAllocator.allocate("prod/payments", Set.of("127.255.200.200"))).isEqualTo(first);
  }

  @Test
  void differentSeedsSpreadOverTheRange() {
    Set<String> chosen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      chosen.add(VipAllocator.allocate("prod/svc-" + i, Set.of()));
    }
    assertThat(chosen).as("distinct first choices of 200 services").hasSizeGreaterThan(190);
    assertThat(chosen).allSatisfy(VipAllocatorTest::assertUsable);
  }

  @Test
  void skipsUsedAddressesByProbingToTheNextFreeOne() {
    String a = VipAllocator.allocate("prod/payments", Set.of());
    String b = VipAllocator.allocate("prod/payments", Set.of(a));
    String c = VipAllocator.allocate("prod/payments", Set.of(a, b));
    assertThat(Set.of(a, b, c)).hasSize(3).allSatisfy(VipAllocatorTest::assertUsable);
    int ia = indexOf(a);
    assertThat(b).isEqualTo(VipAllocator.address((ia + 1) % VipAllocator.CAPACITY));
    assertThat(c).isEqualTo(VipAllocator.address((ia + 2) % VipAllocator.CAPACITY));
    // A used address that is not on the probe path changes nothing.
    assertThat(VipAllocator.allocate("prod/payments", Set.of(b))).isEqualTo(a);
  }

  @Test
  void everyIndexMapsToADistinctUsableAddress() {
    Set<String> all = new HashSet<>();
    for (int i = 0; i < VipAllocator.CAPACITY; i++) {
      String ip = VipAllocator.address(i);
      assertUsable(ip);
      all.add(ip);
    }
    assertThat(all).hasSize(VipAllocator.CAPACITY).hasSize(256 * 254);
  }

  @Test
  void fillsTheLastFreeAddressThenFailsClearly() {
    Set<String> used = new HashSet<>();
    for (int i = 0; i < VipAllocator.CAPACITY; i++) {
      used.add(VipAllocator.address(i));
    }
    String last = VipAllocator.address(12345);
    used.remove(last);
    assertThat(VipAllocator.allocate("prod/late", used)).isEqualTo(last);
    used.add(last);
    assertThatThrownBy(() -> VipAllocator.allocate("prod/late", used))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("virtual IPs");
  }

  private static int indexOf(String ip) {
    for (int i = 0; i < VipAllocator.CAPACITY; i++) {
      if (VipAllocator.address(i).equals(ip)) {
        return i;
      }
    }
    throw new AssertionError("not an allocator address: " + ip);
  }

  static void assertUsable(String ip) {
    Matcher m = VIP.matcher(ip);
    assertThat(m.matches()).as("%s in 127.255.0.0/16", ip).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as(ip).isBetween(0, 255);
    assertThat(Integer.parseInt(m.group(2))).as("%s does not end in .0 or .255", ip).isBetween(1, 254);
  }
}
