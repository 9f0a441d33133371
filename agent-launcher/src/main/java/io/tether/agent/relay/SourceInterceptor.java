package io.tether.agent.relay;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Refuses, with PERMISSION_DENIED and before anything is relayed, a gRPC call from a source outside
 * {@code allowedSources}. Stateless but for the refusal log; thread-safe.
 */
final class SourceInterceptor implements ServerInterceptor {
  private final SourceFilter sources;
  private final Refusals refusals;

  SourceInterceptor(SourceFilter sources, Refusals refusals) {
    this.sources = sources;
    this.refusals = refusals;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    InetAddress source = remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    if (sources.allows(source)) {
      return next.startCall(call, headers);
    }
    refusals.refused("ADS relay", source, sources);
    call.close(Status.PERMISSION_DENIED.withDescription("the host agent answers only sources in its allowedSources; "
        + (source == null ? remote : source.getHostAddress()) + " is not one"), new Metadata());
    return new ServerCall.Listener<>() { };
  }
}
