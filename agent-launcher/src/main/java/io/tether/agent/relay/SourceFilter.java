package io.tether.agent.relay;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sources the host agent's relays answer: CIDR blocks, IPv4 and IPv6 (a bare address is a block
 * of one). Everything else is refused before it reaches the control plane, since the relays lend
 * their token to whoever they answer. An IPv4 client seen as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d},
 * from a dual-stack socket) is matched as the IPv4 address it is. Immutable, so thread-safe.
 */
public final class SourceFilter {
  private record Block(byte[] network, int prefix, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Block> blocks;

  private SourceFilter(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Parses {@code 127.0.0.0/8}, {@code fd00::/8}, {@code 10.0.0.7}, …
   *
   * @param what how the list is named in messages, e.g. {@code allowedSources}
   * @throws IllegalArgumentException naming the entry and what to write instead
   */
  public static SourceFilter parse(String what, List<String> cidrs) {
    if (cidrs == null || cidrs.isEmpty()) {
      throw new IllegalArgumentException(what + " must list at least one CIDR block, e.g. [127.0.0.0/8, 172.17.0.0/16]");
    }
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < cidrs.size(); i++) {
      blocks.add(block(what + "[" + i + "]", cidrs.get(i)));
    }
    return new SourceFilter(blocks);
  }

  private static Block block(String where, String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException(where + " is empty: write a CIDR block such as 172.17.0.0/16");
    }
    String text = cidr.trim();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!InetAddresses.isInetAddress(address)) {
      throw new IllegalArgumentException(where + " '" + cidr + "' is not a CIDR block: write ADDRESS/PREFIX, "
          + "e.g. 172.17.0.0/16 or fd00::/8");
    }
    byte[] network = InetAddresses.forString(address).getAddress();
    int max = network.length * 8;
    int prefix = slash < 0 ? max : prefixLength(where, cidr, text.substring(slash + 1), max);
    Block block = new Block(network, prefix, text);
    if (hasHostBits(network, prefix)) {
      throw new IllegalArgumentException(where + " '" + cidr + "' has bits set after its /" + prefix
          + " prefix: did you mean " + masked(network, prefix) + "/" + prefix + "?");
    }
    return block;
  }

  private static int prefixLength(String where, String cidr, String digits, int max) {
    try {
      int prefix = Integer.parseInt(digits);
      if (prefix >= 0 && prefix <= max) {
        return prefix;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(where + " '" + cidr + "': the prefix length must be 0 to " + max);
  }

  private static boolean hasHostBits(byte[] network, int prefix) {
    return !Arrays.equals(network, maskedBytes(network, prefix));
  }

  private static byte[] maskedBytes(byte[] network, int prefix) {
    byte[] out = network.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  private static String masked(byte[] network, int prefix) {
    try {
      return InetAddresses.toAddrString(InetAddress.getByAddress(maskedBytes(network, prefix)));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
    }
  }

  /** Whether a request from {@code source} is answered. */
  public boolean allows(InetAddress source) {
    if (source == null) {
      return false;
    }
    byte[] bytes = unmapped(source).getAddress();
    return blocks.stream().anyMatch(b -> b.contains(bytes));
  }

  private static InetAddress unmapped(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        return InetAddresses.fromInteger(((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff));
      }
    }
    return address;
  }

  /** The blocks as configured, for messages. */
  public String describe() {
    return blocks.stream().map(Block::text).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return "[" + describe() + "]";
  }
}
