package io.tether.xds.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.tether.registry.auth.Caller;
import io.tether.registry.auth.TokenAuthenticator;

/**
 * Authenticates every xDS call by its {@code authorization: Bearer …} metadata, or, without a token, by
 * a TLS client certificate of the mesh ({@link PeerCertificates}); a call with neither is closed with
 * UNAUTHENTICATED before any request is read. It carries the caller to the
 * stream callbacks in the gRPC context, and tells the admission when the call starts (so that a revocation
 * of its managed token can end it) and when it ends, however it ends.
 */
final class XdsAuthInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final TokenAuthenticator tokens;
  private final PeerCertificates certificates;
  private final StreamAdmission admission;
  private final StreamCensus census;

  XdsAuthInterceptor(TokenAuthenticator tokens, PeerCertificates certificates, StreamAdmission admission,
      StreamCensus census) {
    this.tokens = tokens;
    this.certificates = certificates;
    this.admission = admission;
    this.census = census;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String authorization = headers.get(AUTHORIZATION);
    Caller caller = authorization != null
        ? tokens.authenticate(authorization).orElse(null)
        : certificates.caller(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)).orElse(null);
    if (caller == null) {
      census.refused("unauthenticated");
      call.close(Status.UNAUTHENTICATED.withDescription(
          "a valid bearer token is required in the 'authorization' metadata, or a TLS client certificate of the mesh"),
          new Metadata());
      return new ServerCall.Listener<>() { };
    }
    RevocableCall<Q, R> revocable = new RevocableCall<>(call);
    XdsCall xdsCall = new XdsCall(caller, revocable);
    admission.authenticated(xdsCall);
    if (caller.tokenId() != null && tokens.authenticate(headers.get(AUTHORIZATION)).isEmpty()) {
      revocable.revoke("token '" + caller.name() + "' was revoked or has expired"); // while it was being admitted
    }
    Context context = Context.current().withValue(XdsCall.KEY, xdsCall);
    return new SimpleForwardingServerCallListener<>(Contexts.interceptCall(context, revocable, headers, next)) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          admission.closed(xdsCall);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          admission.closed(xdsCall);
        }
      }
    };
  }
}
