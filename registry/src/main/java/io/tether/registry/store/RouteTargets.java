package io.tether.registry.store;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.tether.model.Destination;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.RouteRule;
import io.tether.model.ServiceSpec;
import io.tether.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The services a spec's routes send calls to (README "Routes"): each must exist when the spec is written,
 * and none may be deleted while a route still names it. A put reads each target and compares that it is
 * still there when it commits; a put that names a target the service did not name before also touches
 * the namespace's guard, which a service delete compares, so a delete that raced the put re-reads the
 * namespace's specs and sees the new reference.
 */
final class RouteTargets {
  private static final GetOption KEY_ONLY = GetOption.builder().withKeysOnly(true).build();

  private final KeyLayout keys;
  private final String ns;
  private final ServiceSpec spec;
  private final List<String> targets;

  RouteTargets(KeyLayout keys, String ns, ServiceSpec spec) {
    this.keys = keys;
    this.ns = ns;
    this.spec = spec;
    this.targets = List.copyOf(spec.traffic().targetsOtherThan(spec.discoveryName()));
  }

  /** One read per target, to be answered (in this order) to {@link #compares}. */
  List<Op> reads() {
    return targets.stream().<Op>map(t -> Op.get(keys.service(ns, t), KEY_ONLY)).toList();
  }

  /** A compare per target that it still exists; FAILED_PRECONDITION (409) naming the first route to a missing one. */
  List<Cmp> compares(List<GetResponse> answers) {
    List<Cmp> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      if (answers.get(i).getKvs().isEmpty()) {
        throw missing(targets.get(i));
      }
      out.add(TxnOps.present(keys.service(ns, targets.get(i))));
    }
    return out;
  }

  /** True when this spec names a target {@code previous} (null: none stored) did not. */
  boolean addsTargetsTo(ServiceSpec previous) {
    Set<String> before = previous == null ? Set.of() : previous.traffic().targetsOtherThan(previous.discoveryName());
    return !before.containsAll(targets);
  }

  private RegistryException missing(String target) {
    List<RouteRule> routes = spec.routes();
    for (int i = 0; i < routes.size(); i++) {
      List<Destination> to = routes.get(i).to();
      for (int j = 0; j < to.size(); j++) {
        if (target.equals(to.get(j).service())) {
          String field = "routes[" + i + "].to[" + j + "].service";
          return new RegistryException(ErrorCode.FAILED_PRECONDITION,
              field + ": no service '" + target + "' in namespace " + ns, field);
        }
      }
    }
    throw new IllegalStateException("target " + target + " is named by no route");
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
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + svc + "' is a destination of routes of: "
          + String.join(", ", referrers) + " (namespace " + ns + "); remove those routes first");
    }
  }
}
