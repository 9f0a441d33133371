package io.tether.bench.fleet;

import static io.tether.bench.fleet.TypeUrls.CDS;
import static io.tether.bench.fleet.TypeUrls.EDS;
import static io.tether.bench.fleet.TypeUrls.LDS;
import static io.tether.bench.fleet.TypeUrls.RDS;
import static io.tether.bench.fleet.TypeUrls.SDS;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One state-of-the-world ADS stream, asked as Envoy asks: CDS (wildcard), then the SDS secrets and the
 * EDS of its EDS clusters, LDS (wildcard) once EDS has answered, then the RDS its listeners name; every
 * response ACKed with the subscription it answers, and the subscriptions re-sent when the clusters or
 * listeners change what they name. Responses arrive one at a time (gRPC serializes a call's callbacks).
 * When the stream breaks, it comes back as Envoy does ({@link Redial}), asking afresh while the client keeps
 * what it holds ({@link HeldConfig}).
 */
final class SotwStream extends FleetStream<DiscoveryResponse> {
  private final Map<String, Collection<String>> names = new HashMap<>(); // per type, what is subscribed
  private final Map<String, String[]> last = new HashMap<>(); // per type, the last response's version and nonce
  private StreamObserver<DiscoveryRequest> requests;

  SotwStream(Node node, boolean nodeOnFirstOnly, FleetStats stats) {
    super(node, nodeOnFirstOnly, stats);
  }

  @Override
  void open(AggregatedDiscoveryServiceStub stub) {
    names.clear();
    last.clear();
    requests = stub.streamAggregatedResources(this);
    subscribe(CDS, List.of());
  }

  @Override
  public synchronized void onNext(DiscoveryResponse response) {
    stats.received(response.getSerializedSize());
    String type = response.getTypeUrl();
    String[] acked = {response.getVersionInfo(), response.getNonce()};
    last.put(type, acked); // not the response: 10,000 streams cannot each keep theirs
    hold(type, response);
    send(type, names.getOrDefault(type, List.of()), acked); // the ACK
    switch (type) {
      case CDS -> {
        if (!names.containsKey(SDS)) {
          subscribe(SDS, TypeUrls.SECRETS);
        }
        resubscribe(EDS, Resources.edsNames(response.getResourcesList()));
        if (names.get(EDS).isEmpty() && !names.containsKey(LDS)) {
          subscribe(LDS, List.of());
        }
      }
      case EDS -> {
        if (!names.containsKey(LDS)) {
          subscribe(LDS, List.of());
        }
      }
      case LDS -> resubscribe(RDS, Resources.routeNames(response.getResourcesList()));
      default -> { }
    }
    checkReady();
  }

  private void hold(String type, DiscoveryResponse response) {
    if (redial != null) {
      redial.served();
    }
    if (type.equals(CDS)) {
      held.clusters(response.getResourcesCount());
    } else if (type.equals(EDS)) {
      stats.edsResponses.increment();
      response.getResourcesList().forEach(any -> held.assignment(Resources.assignment(any)));
    }
  }

  private void checkReady() {
    if (ready()) {
      return;
    }
    boolean all = last.containsKey(CDS) && last.containsKey(LDS) && last.containsKey(SDS)
        && (names.get(EDS).isEmpty() || last.containsKey(EDS))
        && (names.getOrDefault(RDS, List.of()).isEmpty() || last.containsKey(RDS));
    if (all) {
      becomeReady();
    }
  }

  private void subscribe(String type, Collection<String> resources) {
    names.put(type, resources);
    send(type, resources, null);
  }

  /** A new subscription of {@code type} when it names other resources than the current one. */
  private void resubscribe(String type, Set<String> resources) {
    if (!Set.copyOf(names.getOrDefault(type, List.of())).equals(resources) || !names.containsKey(type)) {
      names.put(type, resources);
      send(type, resources, last.get(type));
    }
  }

  /** A request for {@code resources}, ACKing {@code acked} (version, nonce; null: the first request of the type). */
  private void send(String type, Collection<String> resources, String[] acked) {
    DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(type).addAllResourceNames(resources);
    Node node = nodeToSend();
    if (node != null) {
      r.setNode(node);
    }
    if (acked != null) {
      r.setVersionInfo(acked[0]).setResponseNonce(acked[1]);
    }
    requests.onNext(r.build());
  }
}
