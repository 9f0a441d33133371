package io.tether.bench.fleet;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.grpc.stub.StreamObserver;

/**
 * What the fleet's state-of-the-world and delta streams share: who the stream is (its node, sent on
 * the first request only when the agent's bootstraps say so), when it counts as ready, and how it comes
 * back when it breaks ({@link Redial}, as Envoy does). Calls are serialized by the subclass's lock.
 *
 * @param <R> the response type the stream observes
 */
abstract class FleetStream<R> implements StreamObserver<R> {
  final FleetStats stats;
  final HeldConfig held;
  private final Node node;
  /** Envoy's {@code set_node_on_first_message_only}, which the agent's bootstraps set. */
  private final boolean nodeOnFirstOnly;
  private boolean nodeSent;
  Redial redial;
  private boolean ready;
  private boolean settled;

  FleetStream(Node node, boolean nodeOnFirstOnly, FleetStats stats) {
    this.node = node;
    this.nodeOnFirstOnly = nodeOnFirstOnly;
    this.stats = stats;
    this.held = new HeldConfig(stats);
  }

  /** Opens the stream, and again through {@code redial} each time it breaks. */
  synchronized void start(Redial redial) {
    this.redial = redial;
    start(redial.stub());
  }

  /** Opens a new stream on {@code stub}: its first request carries the node again. */
  synchronized void start(AggregatedDiscoveryServiceStub stub) {
    nodeSent = false;
    open(stub);
  }

  abstract void open(AggregatedDiscoveryServiceStub stub);

  /** The node to put on the next request, or null when it need not carry one. */
  Node nodeToSend() {
    if (nodeSent && nodeOnFirstOnly) {
      return null;
    }
    nodeSent = true;
    return node;
  }

  boolean ready() {
    return ready;
  }

  /** Every type it asked for is answered: counted once per stream, and once more after each redial. */
  void becomeReady() {
    ready = true;
    stats.ready(!settled);
    settled = true;
  }

  @Override
  public synchronized void onError(Throwable t) {
    broken();
  }

  @Override
  public synchronized void onCompleted() {
    broken();
  }

  private void broken() {
    stats.failed(ready, !settled);
    settled = true;
    ready = false;
    if (redial != null) {
      redial.later(this::start);
    }
  }
}
