package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.tether.xds.node.ProxyKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One java-control-plane watch, planned against its group's snapshot: it answers at once when the
 * client lacks something, else waits and is retried with each update's changed names. Subclasses say
 * what a plan is and how it is sent (state-of-the-world or delta); the order of what happens on a
 * response is here. Guarded by the lock of the stream's group.
 *
 * @param <P> the plan: what one response carries
 */
abstract class PlannedWatch<P> {
  final ProxyStream stream;
  final TypeState state;
  final ResourceType type;
  private final GroupLedger ledger;

  PlannedWatch(ProxyStream stream, TypeState state, ResourceType type, GroupLedger ledger) {
    this.stream = stream;
    this.state = state;
    this.type = type;
    this.ledger = ledger;
  }

  abstract boolean cancelled();

  /** What to send now, if anything; may also forget owed resends that no longer apply. */
  abstract Optional<P> plan(TypeResources current, Set<String> changed);

  abstract Map<String, VersionedResource<?>> resources(P plan);

  /** The versions the client holds before this response (to tell which clusters changed). */
  abstract Map<String, String> held();

  abstract void send(P plan, String version) throws WatchCancelledException;

  /** True when this is an endpoint watch of a stream owed assignments (see {@link TypeState#resend}). */
  boolean owesResend() {
    return type == ResourceType.ENDPOINT && !state.resend.isEmpty() && !cancelled();
  }

  /**
   * Answers from the snapshot if the client lacks anything; true when this watch is done with.
   *
   * @param before the snapshot {@code changed} is the difference from; null when {@code changed} is null
   */
  final boolean retry(GroupSnapshot snapshot, GroupSnapshot before, Set<String> changed) {
    if (cancelled()) {
      return true;
    }
    TypeResources current = snapshot.of(type);
    boolean coveredBefore = before != null && state.planned == before.of(type);
    Optional<P> plan = plan(current, changed);
    state.planned = changed == null || coveredBefore ? current : null;
    if (plan.isEmpty()) {
      return false;
    }
    Map<String, VersionedResource<?>> sending = resources(plan.get());
    if (type == ResourceType.CLUSTER) {
      oweAssignments(sending, held());
    }
    Map<String, String> versions = new LinkedHashMap<>();
    sending.forEach((name, r) -> versions.put(name, r.version()));
    ledger.sent(type, stream, state, sending, held());
    state.onSent(versions, current.version());
    try {
      send(plan.get(), current.version());
    } catch (WatchCancelledException e) {
      // the stream moved on; its next request plans again from the state recorded above
    }
    return true;
  }

  /**
   * After a cluster response: Envoy drops the assignment of every EDS cluster it held at another
   * version and waits for it again without asking (xDS resource warming, envoy#13009), so the stream
   * is owed those assignments. Proxyless clients keep theirs.
   */
  private void oweAssignments(Map<String, VersionedResource<?>> sent, Map<String, String> before) {
    TypeState endpoints = stream.types().get(ResourceType.ENDPOINT);
    if (endpoints == null || stream.identity().group().kind() != ProxyKind.ENVOY) {
      return;
    }
    sent.forEach((name, r) -> {
      String held = before.get(name);
      if (held != null && !held.equals(r.version()) && r.resource() instanceof Cluster c && c.hasEdsClusterConfig()) {
        String service = c.getEdsClusterConfig().getServiceName();
        endpoints.resend.add(service.isEmpty() ? c.getName() : service);
      }
    });
  }
}
