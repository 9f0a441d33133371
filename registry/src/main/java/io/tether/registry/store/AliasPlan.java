package io.tether.registry.store;

import io.tether.model.ClientAlias;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a service write does to the namespace's client aliases and VIPs, computed from a consistent
 * read. One VIP per service: every alias of the service maps to it, so a hosts file can point each of
 * its names at one address. Aliases are claimed by their {@code vips/} key and addresses by their
 * {@code vipaddrs/} key; the store's transaction compares both, which makes claims race-free.
 *
 * @param added aliases this write claims ({@code dnsName:port})
 * @param removed aliases this write releases
 * @param vip the service's address after the write, or null when it has no aliases
 * @param allocatesVip true when {@code vip} is newly claimed by this write
 * @param releasedVip the address given up by this write, or null
 */
record AliasPlan(Set<String> added, Set<String> removed, String vip, boolean allocatesVip, String releasedVip) {

  /**
   * @param vipByAlias every alias of the namespace and its address
   * @param ownerByVip every claimed address of the namespace and the service owning it
   */
  static AliasPlan compute(String namespace, ServiceSpec previous, ServiceSpec next,
      Map<String, String> vipByAlias, Map<String, String> ownerByVip) {
    String service = next.discoveryName();
    Set<String> before = hostPorts(previous == null ? List.of() : previous.clientAliases());
    Set<String> after = hostPorts(next.clientAliases());
    checkCollisions(service, before, next.clientAliases(), vipByAlias, ownerByVip);

    Set<String> added = new LinkedHashSet<>(after);
    added.removeAll(before);
    Set<String> removed = new LinkedHashSet<>(before);
    removed.removeAll(after);

    String owned = ownerByVip.entrySet().stream()
        .filter(e -> e.getValue().equals(service)).map(Map.Entry::getKey).findFirst().orElse(null);
    if (after.isEmpty()) {
      return new AliasPlan(added, removed, null, false, owned);
    }
    if (owned != null) {
      return new AliasPlan(added, removed, owned, false, null);
    }
    String vip = VipAllocator.allocate(namespace + "/" + service, ownerByVip.keySet());
    return new AliasPlan(added, removed, vip, true, null);
  }

  private static void checkCollisions(String service, Set<String> before, List<ClientAlias> aliases,
      Map<String, String> vipByAlias, Map<String, String> ownerByVip) {
    for (int i = 0; i < aliases.size(); i++) {
      ClientAlias alias = aliases.get(i);
      if (before.contains(alias.hostPort())) {
        continue;
      }
      String field = "clientAliases[" + i + "]";
      String ip = vipByAlias.get(alias.hostPort());
      if (ip != null) {
        throw new RegistryException(ErrorCode.ALREADY_EXISTS, "client alias " + alias.hostPort()
            + " is already used by service '" + ownerByVip.getOrDefault(ip, "?") + "'", field);
      }
      for (Map.Entry<String, String> e : vipByAlias.entrySet()) {
        String owner = ownerByVip.get(e.getValue());
        if (e.getKey().startsWith(alias.dnsName() + ":") && owner != null && !owner.equals(service)) {
          throw new RegistryException(ErrorCode.ALREADY_EXISTS, "dnsName '" + alias.dnsName()
              + "' already names service '" + owner + "' (as " + e.getKey() + ")", field + ".dnsName");
        }
      }
    }
  }

  private static Set<String> hostPorts(List<ClientAlias> aliases) {
    Set<String> out = new LinkedHashSet<>();
    aliases.forEach(a -> out.add(a.hostPort()));
    return out;
  }
}
