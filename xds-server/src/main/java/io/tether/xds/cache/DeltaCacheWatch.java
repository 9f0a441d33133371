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
    state.resend.removeIf(n -> !current.resources().containsKey(n)
        || !(watch.trackedResources().containsKey(n) || watch.pendingResources().contains(n)));
    return DeltaPlanner.plan(state, watch.trackedResources(), watch.pendingResources(), watch.isWildcard(), current,
        changed);
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
