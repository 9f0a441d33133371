package io.tether.registry.store;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.tether.model.Destination;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.model.Traffic;
import io.tether.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The services (and subsets of them) a spec's routes, split and test traffic send calls to (README "Routes",
 * "Canaries and test traffic"): each must exist when the spec is written, and none may be deleted (nor a
 * subset dropped) while a destination still names it, and none may be an import. A put reads each target's
 * spec and compares that it is unchanged when it commits; a put that names a target the service did not name before also touches
 * the namespace's guard, which a service delete compares, so a delete that raced the put re-reads the
 * namespace's specs and sees the new reference.
 */
public final class RouteTargets {
  private final KeyLayout keys;
  private final String ns;
  private final ServiceSpec spec;
  private final List<String> targets;
  private final Map<String, Set<String>> subsetsOf;

  RouteTargets(KeyLayout keys, String ns, ServiceSpec spec) {
    this.keys = keys;
    this.ns = ns;
    this.spec = spec;
    this.subsetsOf = spec.traffic().subsetTargets(spec.discoveryName());
    this.targets = List.copyOf(subsetsOf.keySet());
  }

  /** One read per target, with its spec, to be answered (in this order) to {@link #compares}. */
  List<Op> reads() {
    return targets.stream().<Op>map(t -> Op.get(keys.service(ns, t), GetOption.DEFAULT)).toList();
  }

  /**
   * A compare per target that its spec is unchanged: a racing put of it can neither drop a subset named here
   * nor make it an import ({@link ImportChecks}); FAILED_PRECONDITION (409) naming the first destination to a
   * missing service or subset, or to an import (called by its aliases, its cluster is its exporter's).
   */
  List<Cmp> compares(List<GetResponse> answers) {
    List<Cmp> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      String target = targets.get(i);
      List<KeyValue> kvs = answers.get(i).getKvs();
      if (kvs.isEmpty()) {
        throw missing(target, null, "no service '" + target + "' in namespace " + ns);
      }
      ServiceSpec stored = Json.read(kvs.get(0).getValue().getBytes(), ServiceSpec.class);
      if (stored.importFrom() != null) {
        throw missing(target, null, "service '" + target + "' imports " + stored.importFrom().describe()
            + ": an import is called by its aliases, it cannot be a destination");
      }
      Set<String> declared = stored.traffic().subsetNames();
      for (String subset : subsetsOf.get(target)) {
        if (!declared.contains(subset)) {
          throw missing(target, subset, "service '" + target + "' has no subset '" + subset + "'");
        }
      }
      out.add(TxnOps.atRevision(keys.service(ns, target), kvs.get(0).getModRevision()));
    }
    return out;
  }

  /** True when this spec names a target or a subset of one that {@code previous} (null: none stored) did not. */
  boolean addsTargetsTo(ServiceSpec previous) {
    Map<String, Set<String>> before = previous == null ? Map.of()
        : previous.traffic().subsetTargets(previous.discoveryName());
    return subsetsOf.entrySet().stream().anyMatch(e -> !before.containsKey(e.getKey())
        || !before.get(e.getKey()).containsAll(e.getValue()));
  }

  /** The first destination naming {@code target} (and {@code subset}, unless null), as a 409 at its path. */
  private RegistryException missing(String target, String subset, String message) {
    return refusal(spec, target, subset, message);
  }

  /**
   * The first destination of {@code spec} naming {@code target} (and {@code subset}, unless null), as a 409
   * at its path ({@code routes[0].to[1].service}) with {@code message} after it.
   */
  public static RegistryException refusal(ServiceSpec spec, String target, String subset, String message) {
    Traffic traffic = spec.traffic();
    List<String> fields = new ArrayList<>();
    List<Destination> all = new ArrayList<>();
    for (int i = 0; i < traffic.testTraffic().size(); i++) {
      add(fields, all, "testTraffic[" + i + "].to", traffic.testTraffic().get(i).to());
    }
    for (int i = 0; i < traffic.routes().size(); i++) {
      add(fields, all, "routes[" + i + "].to", traffic.routes().get(i).to());
    }
    add(fields, all, "split", traffic.split());
    for (int i = 0; i < all.size(); i++) {
      Destination d = all.get(i);
      if (target.equals(d.service()) && (subset == null || subset.equals(d.subset()))) {
        String field = fields.get(i) + (subset == null ? ".service" : ".subset");
        return new RegistryException(ErrorCode.FAILED_PRECONDITION, field + ": " + message, field);
      }
    }
    throw new IllegalStateException("target " + target + " is named by no destination");
  }

  private static void add(List<String> fields, List<Destination> all, String field, List<Destination> to) {
    for (int j = 0; j < to.size(); j++) {
      fields.add(field + "[" + j + "]");
      all.add(to.get(j));
    }
  }

  /**
   * A service put's rule: FAILED_PRECONDITION when it drops a subset of {@code previous} that another
   * service of the namespace (its specs read as {@code services}) still sends calls to.
   */
  static void requireKeptSubsets(String ns, ServiceSpec previous, ServiceSpec spec, GetResponse services) {
    String svc = spec.discoveryName();
    Set<String> dropped = new TreeSet<>(previous.traffic().subsetNames());
    dropped.removeAll(spec.traffic().subsetNames());
    for (KeyValue kv : services.getKvs()) {
      ServiceSpec other = Json.read(kv.getValue().getBytes(), ServiceSpec.class);
      Set<String> named = other.traffic().subsetTargets(other.discoveryName()).getOrDefault(svc, Set.of());
      for (String subset : dropped) {
        if (!other.discoveryName().equals(svc) && named.contains(subset)) {
          throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "subset '" + subset + "' of " + svc
              + " is a destination of " + other.discoveryName() + " (namespace " + ns + "); remove it there first",
              "subsets");
        }
      }
    }
  }

  /** True when {@code spec} drops a subset {@code previous} (null: none stored) declared. */
  static boolean dropsSubsets(ServiceSpec previous, ServiceSpec spec) {
    return previous != null && !spec.traffic().subsetNames().containsAll(previous.traffic().subsetNames());
  }

  /**
   * A service delete's rule: FAILED_PRECONDITION while another service of the namespace (its specs read as
   * {@code services}, a prefix read of {@code services/{ns}/}) routes calls to {@code svc}.
   */
  static void requireUnreferenced(String ns, String svc, GetResponse services) {
    Set<String> referrers = new TreeSet<>();
    for (KeyValue kv : services.getKvs()) {
      ServiceSpec other = Json.read(kv.getValue().getBytes(), ServiceSpec.class);
      if (!other.discoveryName().equals(svc) && other.traffic().targetsOtherThan(other.discoveryName()).contains(svc)) {
        referrers.add(other.discoveryName());
      }
    }
    if (!referrers.isEmpty()) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + svc + "' is a destination of the "
          + "routes, split or test traffic of: " + String.join(", ", referrers) + " (namespace " + ns + "); "
          + "remove those destinations first");
    }
  }
}
