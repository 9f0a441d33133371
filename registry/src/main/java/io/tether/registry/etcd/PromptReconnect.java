package io.tether.registry.etcd;

import io.etcd.jetcd.Client;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the etcd client reconnect as soon as etcd is back, not when gRPC's reconnect back-off next
 * allows: that back-off grows by 1.6× per failed attempt up to 120 s, so after a 30 s outage the
 * client found etcd again only about 15 s after it returned, and agents' leases (TTL 10 s by default)
 * lapsed meanwhile. Every call that fails UNAVAILABLE (the view probes every 500 ms) resets the
 * back-off, so the channel tries to connect again at once: one refused connect per failed call while
 * etcd is down, which costs nothing. A hung etcd (calls time out) is not affected.
 *
 * <p>jetcd does not expose its channel; it is read from its internals once, when the client is built.
 * Should a jetcd upgrade change them, this logs so and the client keeps gRPC's own back-off.
 */
final class PromptReconnect implements ClientInterceptor {
  private static final Logger log = LoggerFactory.getLogger(PromptReconnect.class);

  private volatile ManagedChannel channel;

  /** Binds this interceptor to the channel of {@code client}, which was built with it. */
  void bind(Client client) {
    try {
      Field manager = client.getClass().getDeclaredField("connectionManager");
      manager.setAccessible(true);
      Object connections = manager.get(client);
      Method getChannel = connections.getClass().getDeclaredMethod("getChannel");
      getChannel.setAccessible(true);
      channel = (ManagedChannel) getChannel.invoke(connections);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot reach jetcd's channel ({}); after an etcd outage the client reconnects on gRPC's back-off", e.toString());
    }
  }

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<A> listener, Metadata headers) {
        super.start(new SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            ManagedChannel c = channel;
            if (status.getCode() == Status.Code.UNAVAILABLE && c != null) {
              c.resetConnectBackoff();
            }
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }
}
