package io.tether.xds.server;

import io.grpc.Context;
import io.tether.registry.auth.Caller;

/**
 * What the gRPC layer knows about one xDS call: the authenticated caller, the call itself (to end it
 * when the caller's token is revoked), and the stream id
 * java-control-plane gives it. It travels in the gRPC {@link Context}, which is how the server's
 * interceptor (who sees the call end) and the stream callbacks (who see the stream id) meet.
 */
final class XdsCall {
  static final Context.Key<XdsCall> KEY = Context.key("tether-xds-call");

  private final Caller caller;
  private final RevocableCall<?, ?> call;
  private volatile long streamId = -1;

  XdsCall(Caller caller, RevocableCall<?, ?> call) {
    this.caller = caller;
    this.call = call;
  }

  /** Ends the call with UNAUTHENTICATED: its token was revoked or expired. */
  void revoke() {
    call.revoke("token '" + caller.name() + "' was revoked or has expired");
  }

  Caller caller() {
    return caller;
  }

  long streamId() {
    return streamId;
  }

  void bind(long id) {
    this.streamId = id;
  }
}
