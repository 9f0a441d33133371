package io.tether.bench.fleet;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.grpc.ManagedChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How a stream of the fleet comes back after its server went away, as Envoy's xDS client does
 * (benchmarks/README.md "ScaleBenchmark", cold start): after a jittered exponential backoff, a wait drawn
 * uniformly below a ceiling that starts at 500 ms and doubles per failed attempt up to 30 s, it opens a new
 * stream on the same connection. A response on the new stream resets the ceiling. The channel's own connect
 * backoff is reset first, so that gRPC's schedule (1 s × 1.6ⁿ) does not stand in for Envoy's.
 */
final class Redial {
  static final long BASE_MS = 500;
  static final long MAX_MS = 30_000;

  private final ManagedChannel channel;
  private final AggregatedDiscoveryServiceStub stub;
  private final ScheduledExecutorService timer;
  private int attempt; // guarded by the stream's lock

  Redial(ManagedChannel channel, AggregatedDiscoveryServiceStub stub, ScheduledExecutorService timer) {
    this.channel = channel;
    this.stub = stub;
    this.timer = timer;
  }

  AggregatedDiscoveryServiceStub stub() {
    return stub;
  }

  /** Opens a new stream with {@code start} after the next backoff. */
  void later(Consumer<AggregatedDiscoveryServiceStub> start) {
    long ceiling = Math.min(MAX_MS, BASE_MS << Math.min(attempt++, 6));
    timer.schedule(() -> {
      channel.resetConnectBackoff();
      start.accept(stub);
    }, ThreadLocalRandom.current().nextLong(ceiling), TimeUnit.MILLISECONDS);
  }

  /** The stream is served again: the next failure waits from the base ceiling. */
  void served() {
    attempt = 0;
  }
}
