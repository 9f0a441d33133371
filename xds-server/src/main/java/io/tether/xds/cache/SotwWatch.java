package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A state-of-the-world watch: one request's names, planned by {@link SotwPlanner}. */
final class SotwWatch extends PlannedWatch<SotwPlanner.Plan> {
  private final Watch watch;
  private final XdsRequest request;
  private final boolean fullState;

  SotwWatch(Watch watch, ProxyStream stream, TypeState state, GroupLedger ledger) {
    super(stream, state, watch.request().getResourceType(), ledger);
    this.watch = watch;
    this.request = watch.request();
    this.fullState = type == ResourceType.LISTENER || type == ResourceType.CLUSTER;
  }


  @Override
  boolean cancelled() {
    return watch.isCancelled();
  }

  @Override
  Optional<SotwPlanner.Plan> plan(TypeResources current, Set<String> changed) {
    List<String> names = request.getResourceNamesList();
    state.resend.removeIf(n -> !current.resources().containsKey(n) || (!names.isEmpty() && !names.contains(n)));
    if (!state.responded && request.getResponseNonce().isEmpty() && request.getVersionInfo().equals(current.version())) {
      adoptReconnect(current, names);
    }
    return SotwPlanner.plan(state, names, current, fullState, changed);
  }

  @Override
  Map<String, VersionedResource<?>> resources(SotwPlanner.Plan plan) {
    return plan.resources();
  }

  @Override
  Map<String, String> held() {
    return state.accepted();
  }

  @Override
  void send(SotwPlanner.Plan plan, String version) throws WatchCancelledException {
    watch.respond(Response.create(request, SotwPlanner.messages(plan), version));
  }

  /** A client on a new stream that already runs exactly the current resources: take its word, send nothing. */
  private void adoptReconnect(TypeResources current, List<String> names) {
    Map<String, String> held = new HashMap<>();
    current.resources().forEach((name, r) -> {
      if (names.isEmpty() || names.contains(name)) {
        held.put(name, r.version());
      }
    });
    state.adopt(held);
    state.responded = true;
    state.ackedVersion = request.getVersionInfo();
  }
}
