package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An incremental (delta) watch: the stream's tracked and pending names, planned by {@link DeltaPlanner}. */
final class DeltaCacheWatch extends PlannedWatch<DeltaPlanner.Plan> {
  private final DeltaWatch watch;

  DeltaCacheWatch(DeltaWatch watch, ProxyStream stream, TypeState state, GroupLedger ledger) {
    super(stream, state, watch.request().getResourceType(), ledger);
    this.watch = watch;
  }

  @Override
  boolean cancelled() {
    return watch.isCancelled();
  }

  @Override
  Optional<DeltaPlanner.Plan> plan(TypeResources current, Set<String> changed) {
    if (changed == null && coveredAlready(current)) {
      return Optional.empty(); // an ACK of a settled stream: no need to look at its whole subscription again
    }
    state.resend.removeIf(n -> !current.resources().containsKey(n)
        || !(watch.trackedResources().containsKey(n) || watch.pendingResources().contains(n)));
    return DeltaPlanner.plan(state, watch.trackedResources(), watch.pendingResources(), watch.isWildcard(), current,
        changed);
  }

  /**
   * Whether a new request can bring nothing: the stream's last plan covered these very resources, it
   * asks for no new names, is owed no resends and accepted what it was sent. A delta request names only
   * what it adds or drops, so unlike state-of-the-world this needs no look at the subscription.
   */
  private boolean coveredAlready(TypeResources current) {
    return state.planned == current && state.responded && !state.nacked && state.resend.isEmpty()
        && watch.pendingResources().isEmpty();
  }

  @Override
  Map<String, VersionedResource<?>> resources(DeltaPlanner.Plan plan) {
    return plan.resources();
  }

  @Override
  Map<String, String> held() {
    return watch.trackedResources();
  }

  @Override
  void send(DeltaPlanner.Plan plan, String version) throws WatchCancelledException {
    watch.respond(DeltaResponse.create(watch.request(), plan.resources(), plan.removed(), version));
  }
}
