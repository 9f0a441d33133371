package io.tether.registry.store;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Chooses a service's virtual IP in 127.255.0.0/16. The first candidate is a hash of the service's
 * name, so a service re-created gets the same address and concurrent allocations for different
 * services rarely contend; on collision it probes linearly. Uniqueness itself is enforced by the store's
 * compare-and-swap on the address key, not here.
 */
public final class VipAllocator {
  private VipAllocator() {}

  /** Usable addresses: 127.255.x.y with y in 1..254, so no address ends in .0 or .255. */
  static final int CAPACITY = 256 * 254;

  public static String allocate(String seed, Set<String> used) {
    if (used.size() >= CAPACITY) {
      throw new IllegalStateException("the namespace has used all " + CAPACITY + " virtual IPs");
    }
    int start = Math.floorMod(hash(seed), CAPACITY);
    for (int i = 0; i < CAPACITY; i++) {
      String candidate = address((start + i) % CAPACITY);
      if (!used.contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free virtual IP");
  }

  static String address(int index) {
    return "127.255." + (index / 254) + "." + (index % 254 + 1);
  }

  private static int hash(String seed) {
    CRC32 crc = new CRC32();
    crc.update(seed.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }
}
