package io.tether.xds.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * An xDS call the server may end from another thread when its token is revoked: {@link ServerCall} is
 * not thread-safe, so every send and the close go through this object's lock, and what java-control-plane
 * sends after the revocation closed the call is dropped (its stream ends with the call).
 */
final class RevocableCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
  private boolean closed;

  RevocableCall(ServerCall<Q, R> call) {
    super(call);
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(R message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (!closed) {
      closed = true;
      super.close(status, trailers);
    }
  }

  /** Ends the call with UNAUTHENTICATED, unless it has ended already. */
  void revoke(String reason) {
    close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
  }
}
