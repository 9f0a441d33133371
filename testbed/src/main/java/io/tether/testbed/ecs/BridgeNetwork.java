package io.tether.testbed.ecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Docker's default bridge network on the emulated host: the bridge {@code tdocker0} with 172.17.0.1/16 (each
 * host is a namespace of its own, so every host has the same subnet, as real Docker hosts do), forwarding on in
 * the host's namespace only, and per {@code bridge}-mode container a network namespace joined to the bridge
 * by a veth, its {@code eth0} at 172.17.0.N with the bridge as default gateway.
 *
 * <p>Container namespaces are named {@code tether-PID-ecsN} after the stand-in's pid, the pattern of {@link
 * io.tether.testbed.NetnsHosts}: whoever finds one whose pid is gone removes it (the stand-in at its next
 * start, {@link EmulatedEcs#close}, NetnsHosts). Calls are serialised: addresses and names are allocated here.
 */
final class BridgeNetwork {
  static final String BRIDGE = "tdocker0";
  static final String GATEWAY = "172.17.0.1";
  static final String SUBNET = "172.17.0.0/16";
  static final String VETH_PREFIX = "tve";

  /** A container's place on the bridge. */
  record Attachment(String netns, String veth, String ip) {}

  private final Commands commands;
  private final Nat nat;
  private final String netnsPrefix;
  private final BitSet used = new BitSet(1 << 16);
  private final AtomicInteger next = new AtomicInteger(1);

  BridgeNetwork(Commands commands, Nat nat, long standInPid) {
    this.commands = commands;
    this.nat = nat;
    this.netnsPrefix = "tether-" + standInPid + "-ecs";
  }

  synchronized void setUp() {
    commands.run(Commands.IP, "link", "add", BRIDGE, "type", "bridge");
    commands.run(Commands.IP, "addr", "add", GATEWAY + "/16", "dev", BRIDGE);
    commands.run(Commands.IP, "link", "set", BRIDGE, "up");
    sysctl("net/ipv4/ip_forward", "1");
    // 127.0.0.1:HOSTPORT from the host itself: DNAT to a container needs loopback sources routable on the bridge.
    sysctl("net/ipv4/conf/" + BRIDGE + "/route_localnet", "1");
    nat.setUp(BRIDGE, SUBNET);
  }

  /** A network namespace with only its loopback up: Docker's {@code none} network, or the start of {@link #attach}. */
  synchronized String isolated() {
    String netns = netnsPrefix + next.getAndIncrement();
    commands.run(Commands.IP, "netns", "add", netns);
    commands.run(Commands.IP, "-n", netns, "link", "set", "lo", "up");
    return netns;
  }

  /** A namespace on the bridge: a veth whose host end is a port of the bridge (hairpin on, as Docker sets it). */
  synchronized Attachment attach() {
    String netns = isolated();
    String veth = VETH_PREFIX + netns.substring(netnsPrefix.length());
    String ip = allocate();
    try {
      commands.run(Commands.IP, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
      commands.run(Commands.IP, "link", "set", veth, "master", BRIDGE);
      commands.run(Commands.IP, "link", "set", veth, "type", "bridge_slave", "hairpin", "on");
      commands.run(Commands.IP, "link", "set", veth, "up");
      commands.run(Commands.IP, "-n", netns, "addr", "add", ip + "/16", "dev", "eth0");
      commands.run(Commands.IP, "-n", netns, "link", "set", "eth0", "up");
      commands.run(Commands.IP, "-n", netns, "route", "add", "default", "via", GATEWAY);
      return new Attachment(netns, veth, ip);
    } catch (RuntimeException e) {
      detach(netns, ip);
      throw e;
    }
  }

  /** Removes a container's namespace (its veth goes with it) and frees its address. */
  synchronized void detach(String netns, String ip) {
    if (netns != null) {
      commands.attempt(Commands.IP, "netns", "del", netns);
    }
    if (ip != null) {
      used.clear(index(ip));
    }
  }

  /** Removes the bridge and the NAT rules (the containers' namespaces are removed one by one before). */
  synchronized void tearDown() {
    nat.tearDown();
    commands.attempt(Commands.IP, "link", "del", BRIDGE);
  }

  /** The lowest free address after the gateway, as Docker's IPAM hands them out. */
  private String allocate() {
    int i = used.nextClearBit(2);
    if (i >= (1 << 16) - 1) {
      throw new IllegalStateException("no free address in " + SUBNET);
    }
    used.set(i);
    return "172.17." + (i >> 8) + "." + (i & 0xff);
  }

  private static int index(String ip) {
    String[] q = ip.split("\\.");
    return (Integer.parseInt(q[2]) << 8) | Integer.parseInt(q[3]);
  }

  /** {@code /proc/sys/net} is the writer's network namespace's: this sets the host's, not the machine's. */
  private static void sysctl(String key, String value) {
    try {
      Files.writeString(Path.of("/proc/sys", key), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set " + key + "=" + value, e);
    }
  }
}
