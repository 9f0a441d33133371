package io.tether.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Where one host serves the namespace's client aliases when its apps cannot reach loopback VIPs.
 *
 * <p>The registry gives every alias a virtual IP in {@value #REGISTRY_PREFIX}0.0/16. That range is
 * loopback: an app reaches it only in the network namespace of its own Envoy. An app in a container
 * of its own (an ECS task in bridge mode) sends it nowhere. A host that serves such containers re-bases
 * the VIPs into a /16 its containers route to it (e.g. {@code 100.127.0.0/16}, a local route on the
 * host): {@code 127.255.A.B} becomes {@code P.Q.A.B}. The registry's allocation stays the one truth;
 * this is only where one host puts it. The renderer (listener addresses of nodes that ask for a
 * range) and the host agent (its DNS answers and hosts file) both rebase through this class.
 */
public record VipRange(int first, int second) {
  public static final String REGISTRY_PREFIX = "127.255.";
  /** The registry's own range: rebasing into it changes nothing. */
  public static final VipRange REGISTRY = new VipRange(127, 255);

  public VipRange {
    if (first < 0 || first > 255 || second < 0 || second > 255) {
      throw new IllegalArgumentException("not an IPv4 /16: " + first + "." + second);
    }
  }

  /**
   * Parses {@code P.Q.0.0/16}. A range inside 127.0.0.0/8 other than the registry's is refused: it
   * would be loopback again, which is what a range is for avoiding.
   */
  public static VipRange parse(String cidr) {
    Objects.requireNonNull(cidr, "cidr");
    String text = cidr.trim().toLowerCase(Locale.ROOT);
    if (!text.matches("\\d{1,3}\\.\\d{1,3}\\.0\\.0/16")) {
      throw new IllegalArgumentException("vipRange '" + cidr + "' must be an IPv4 /16 written P.Q.0.0/16, "
          + "e.g. 100.127.0.0/16");
    }
    String[] octets = text.substring(0, text.indexOf('/')).split("\\.");
    int p = Integer.parseInt(octets[0]);
    int q = Integer.parseInt(octets[1]);
    if (p > 255 || q > 255) {
      throw new IllegalArgumentException("vipRange '" + cidr + "' is not an IPv4 address range");
    }
    if (p == 127 && q != 255) {
      throw new IllegalArgumentException("vipRange '" + cidr + "' is loopback: containers cannot route to it; "
          + "choose a range outside 127.0.0.0/8, e.g. 100.127.0.0/16");
    }
    if (p == 0 || p >= 224) {
      throw new IllegalArgumentException("vipRange '" + cidr + "' is not a unicast range");
    }
    return new VipRange(p, q);
  }

  /** The VIP the registry allocated, moved into this range; an address outside the registry's range is kept. */
  public String rebase(String vip) {
    if (this.equals(REGISTRY) || !vip.startsWith(REGISTRY_PREFIX)) {
      return vip;
    }
    return first + "." + second + "." + vip.substring(REGISTRY_PREFIX.length());
  }

  public String cidr() {
    return first + "." + second + ".0.0/16";
  }

  @Override
  public String toString() {
    return cidr();
  }
}
