package io.tether.bench.fleet;

import static io.tether.bench.fleet.TypeUrls.CDS;
import static io.tether.bench.fleet.TypeUrls.EDS;
import static io.tether.bench.fleet.TypeUrls.LDS;
import static io.tether.bench.fleet.TypeUrls.RDS;
import static io.tether.bench.fleet.TypeUrls.SDS;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One incremental (delta) ADS stream, asked as Envoy asks over {@code DELTA_GRPC}: CDS and LDS as
 * wildcards, the SDS secrets, EDS and RDS by name, subscribed and unsubscribed as the clusters and
 * listeners it holds change what they name; every response ACKed by its nonce. When the stream breaks, it
 * comes back as Envoy does ({@link Redial}) and subscribes afresh, keeping what it holds.
 */
final class DeltaStream extends FleetStream<DeltaDiscoveryResponse> {
  // What Envoy derives from the clusters and listeners it holds, by resource name (not the resources:
  // 10,000 streams cannot each keep theirs): a cluster's EDS name (null: not EDS), a listener's RDS names.
  private final Map<String, String> clusterEds = new HashMap<>();
  private final Map<String, Set<String>> listenerRoutes = new HashMap<>();
  private final Map<String, Set<String>> subscribed = new HashMap<>(); // per type asked for, its names
  private final Set<String> answered = new HashSet<>();
  private StreamObserver<DeltaDiscoveryRequest> requests;

  DeltaStream(Node node, boolean nodeOnFirstOnly, FleetStats stats) {
    super(node, nodeOnFirstOnly, stats);
  }

  @Override
  void open(AggregatedDiscoveryServiceStub stub) {
    subscribed.clear();
    answered.clear();
    requests = stub.deltaAggregatedResources(this);
    subscribed.put(CDS, Set.of());
    requests.onNext(request(CDS).build());
  }

  @Override
  public synchronized void onNext(DeltaDiscoveryResponse response) {
    stats.received(response.getSerializedSize());
    String type = response.getTypeUrl();
    hold(type, response);
    answered.add(type);
    requests.onNext(request(type).setResponseNonce(response.getNonce()).build()); // the ACK
    switch (type) {
      case CDS -> {
        change(SDS, Set.copyOf(TypeUrls.SECRETS));
        change(EDS, new java.util.TreeSet<>(clusterEds.values().stream().filter(java.util.Objects::nonNull).toList()));
        if (subscribed.get(EDS).isEmpty()) {
          askListeners();
        }
      }
      case EDS -> askListeners();
      case LDS -> change(RDS, new java.util.TreeSet<>(listenerRoutes.values().stream().flatMap(Set::stream).toList()));
      default -> { }
    }
    checkReady();
  }

  private void hold(String type, DeltaDiscoveryResponse response) {
    if (redial != null) {
      redial.served();
    }
    if (type.equals(CDS)) {
      for (Resource r : response.getResourcesList()) {
        clusterEds.put(r.getName(), Resources.edsName(r.getResource()));
      }
      response.getRemovedResourcesList().forEach(clusterEds::remove);
      held.clusters(clusterEds.size());
    } else if (type.equals(EDS)) {
      stats.edsResponses.increment();
      response.getResourcesList().forEach(r -> held.assignment(Resources.assignment(r.getResource())));
      response.getRemovedResourcesList().forEach(held::removedAssignment);
    } else if (type.equals(LDS)) {
      for (Resource r : response.getResourcesList()) {
        listenerRoutes.put(r.getName(), Resources.routeNames(java.util.List.of(r.getResource())));
      }
      response.getRemovedResourcesList().forEach(listenerRoutes::remove);
    }
  }

  private void askListeners() {
    if (!subscribed.containsKey(LDS)) {
      subscribed.put(LDS, Set.of());
      requests.onNext(request(LDS).build());
    }
  }

  /** Subscribes what {@code want} adds and unsubscribes what it drops; nothing when it is the same. */
  private void change(String type, Set<String> want) {
    Set<String> have = subscribed.getOrDefault(type, Set.of());
    subscribed.put(type, want);
    Set<String> added = new HashSet<>(want);
    added.removeAll(have);
    Set<String> dropped = new HashSet<>(have);
    dropped.removeAll(want);
    if (!added.isEmpty() || !dropped.isEmpty()) {
      requests.onNext(request(type).addAllResourceNamesSubscribe(added).addAllResourceNamesUnsubscribe(dropped).build());
    }
  }

  private DeltaDiscoveryRequest.Builder request(String type) {
    DeltaDiscoveryRequest.Builder r = DeltaDiscoveryRequest.newBuilder().setTypeUrl(type);
    Node node = nodeToSend();
    if (node != null) {
      r.setNode(node);
    }
    return r;
  }

  private void checkReady() {
    if (ready()) {
      return;
    }
    boolean all = answered.contains(CDS) && answered.contains(LDS) && answered.contains(SDS)
        && (subscribed.get(EDS).isEmpty() || answered.contains(EDS))
        && (subscribed.getOrDefault(RDS, Set.of()).isEmpty() || answered.contains(RDS));
    if (all) {
      becomeReady();
    }
  }
}
