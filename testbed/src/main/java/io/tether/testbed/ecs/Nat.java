package io.tether.testbed.ecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host's NAT rules, as Docker installs them with {@code userland-proxy: false} (no docker-proxy: the
 * kernel alone maps the ports), in chains of their own so that removing them touches nothing else:
 * <pre>
 * -A PREROUTING  -m addrtype --dst-type LOCAL -j TETHER-DOCKER       (other hosts, and containers, to a host port)
 * -A OUTPUT      -m addrtype --dst-type LOCAL -j TETHER-DOCKER       (processes of the host to a host port)
 * -A POSTROUTING -j TETHER-POSTROUTING
 * -A TETHER-POSTROUTING -s 172.17.0.0/16 ! -o tdocker0 -j MASQUERADE     (containers out to other hosts)
 * -A TETHER-POSTROUTING -s 127.0.0.0/8 -o tdocker0 -m addrtype --src-type LOCAL -j MASQUERADE  (127.0.0.1:hostPort)
 * -A TETHER-POSTROUTING -s 172.17.0.0/16 -o tdocker0 -m conntrack --ctstate DNAT -j MASQUERADE (hairpin)
 * -A TETHER-DOCKER -p tcp --dport HOSTPORT -j DNAT --to-destination CONTAINER_IP:CONTAINER_PORT   (one per mapping)
 * </pre>
 * The hairpin rule stands in for Docker's br_netfilter: a container calling another one through the host's
 * address gets its answer back through the host.
 */
final class Nat {
  static final String DNAT_CHAIN = "TETHER-DOCKER";
  static final String POSTROUTING_CHAIN = "TETHER-POSTROUTING";
  private static final List<String> CHAINS = List.of(DNAT_CHAIN, POSTROUTING_CHAIN);

  private final Commands commands;

  Nat(Commands commands) {
    this.commands = commands;
  }

  /** The chains, the jumps to them and the masquerading of the bridge {@code bridge} with {@code subnet}. */
  void setUp(String bridge, String subnet) {
    for (String chain : CHAINS) {
      nat("-N", chain);
    }
    nat("-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT_CHAIN);
    nat("-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT_CHAIN);
    nat("-A", "POSTROUTING", "-j", POSTROUTING_CHAIN);
    nat("-A", POSTROUTING_CHAIN, "-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE");
    nat("-A", POSTROUTING_CHAIN, "-s", "127.0.0.0/8", "-o", bridge, "-m", "addrtype", "--src-type", "LOCAL", "-j", "MASQUERADE");
    nat("-A", POSTROUTING_CHAIN, "-s", subnet, "-o", bridge, "-m", "conntrack", "--ctstate", "DNAT", "-j", "MASQUERADE");
  }

  void publish(String protocol, int hostPort, String containerIp, int containerPort) {
    nat(mapping("-A", protocol, hostPort, containerIp, containerPort));
  }

  void unpublish(String protocol, int hostPort, String containerIp, int containerPort) {
    commands.attempt(withTable(mapping("-D", protocol, hostPort, containerIp, containerPort)));
  }

  /** Removes every rule of these chains and every jump to them, whoever left them (a killed stand-in). */
  void tearDown() {
    String rules = commands.attempt(Commands.IPTABLES, "-t", "nat", "-S").output();
    for (String line : rules.split("\n")) {
      List<String> words = Arrays.asList(line.trim().split("\\s+"));
      boolean jump = words.size() > 2 && words.get(0).equals("-A") && !CHAINS.contains(words.get(1))
          && CHAINS.stream().anyMatch(c -> words.contains(c));
      if (jump) {
        List<String> delete = new ArrayList<>(words);
        delete.set(0, "-D");
        commands.attempt(withTable(delete.toArray(String[]::new)));
      }
    }
    for (String chain : CHAINS) {
      commands.attempt(Commands.IPTABLES, "-t", "nat", "-F", chain);
      commands.attempt(Commands.IPTABLES, "-t", "nat", "-X", chain);
    }
  }

  /** {@code iptables -t nat -S}: what the tests read back. */
  String rules() {
    return commands.run(Commands.IPTABLES, "-t", "nat", "-S");
  }

  private static String[] mapping(String op, String protocol, int hostPort, String containerIp, int containerPort) {
    return new String[] {op, DNAT_CHAIN, "-p", protocol, "-m", protocol, "--dport", Integer.toString(hostPort), "-j", "DNAT",
        "--to-destination", containerIp + ":" + containerPort};
  }

  private void nat(String... rule) {
    commands.run(withTable(rule));
  }

  private static String[] withTable(String... rule) {
    String[] all = new String[rule.length + 3];
    all[0] = Commands.IPTABLES;
    all[1] = "-t";
    all[2] = "nat";
    System.arraycopy(rule, 0, all, 3, rule.length);
    return all;
  }
}
