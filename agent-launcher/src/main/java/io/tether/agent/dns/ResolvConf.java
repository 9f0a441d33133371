package io.tether.agent.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Address;

/**
 * The {@code nameserver} lines of a resolv.conf(5), in order, as port-53 addresses. Like glibc it
 * reads the keyword at the start of a line and the address after it, ignores the rest of the line
 * and every other keyword, and skips comment lines ({@code #} or {@code ;}). An address that is not
 * an IPv4 or IPv6 literal is skipped: nothing here does a lookup.
 */
final class ResolvConf {
  private static final Logger log = LoggerFactory.getLogger(ResolvConf.class);
  static final int PORT = 53;

  private ResolvConf() {}

  static List<InetSocketAddress> nameservers(List<String> lines) {
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.trim().split("\\s+");
      if (words.length < 2 || !words[0].equals("nameserver")) {
        continue;
      }
      InetAddress address = literal(words[1]);
      if (address == null) {
        log.debug("resolv.conf: skipped nameserver {}, not an IP address", words[1]);
      } else {
        servers.add(new InetSocketAddress(address, PORT));
      }
    }
    return servers;
  }

  /** {@code servers} without {@code self}: forwarding to ourselves would loop until the timeout. */
  static List<InetSocketAddress> without(List<InetSocketAddress> servers, InetSocketAddress self) {
    List<InetSocketAddress> others = new ArrayList<>(servers);
    if (others.removeIf(self::equals)) {
      log.debug("dropped upstream {}: it is this DNS server", self);
    }
    return others;
  }

  /**
   * An IPv4 or IPv6 literal (with a zone, {@code fe80::1%eth0}), else null. The brackets make
   * InetAddress take an IPv6 literal or throw; without them a non-literal would be looked up.
   */
  static InetAddress literal(String text) {
    try {
      if (text.indexOf(':') >= 0) {
        return InetAddress.getByName("[" + text + "]");
      }
      byte[] ipv4 = Address.toByteArray(text, Address.IPv4);
      return ipv4 == null ? null : InetAddress.getByAddress(ipv4);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
