package io.tether.agent.relay;

import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One relayed gRPC call: the caller's call (downstream) joined to a call of the same method to the
 * control plane (upstream), full duplex. Messages go on one at a time each way: the next message is
 * asked of one side only when the other can take it ({@code request(1)} per message, and again on
 * {@code onReady}), so a slow reader holds back its writer instead of filling the relay's memory.
 * Half-close and cancellation cross over; the upstream's status and trailers become the caller's.
 *
 * <p>Threads: gRPC calls each listener on its own call's serialised executor. So the downstream
 * call's sending methods (sendHeaders, sendMessage, close) are only called from the upstream
 * listener, and the upstream call's (sendMessage, halfClose) only from the downstream listener;
 * {@code request}, {@code isReady} and {@code cancel} are the methods gRPC allows from any thread,
 * and the two "a message was passed on" flags are atomic. {@link #stop} may be called from any thread:
 * it cancels upstream, and the upstream listener then closes the caller's call with UNAVAILABLE.
 */
final class RelayCall {
  private final ServerCall<byte[], byte[]> downstream;
  private final ClientCall<byte[], byte[]> upstream;
  private final OpenCalls open;
  /** A message from the caller went upstream; the next is asked for once upstream is ready. */
  private final AtomicBoolean sentUp = new AtomicBoolean();
  /** A message from the control plane went to the caller; the next is asked for once the caller is ready. */
  private final AtomicBoolean sentDown = new AtomicBoolean();
  private volatile boolean stopping;

  private RelayCall(ServerCall<byte[], byte[]> downstream, ClientCall<byte[], byte[]> upstream, OpenCalls open) {
    this.downstream = downstream;
    this.upstream = upstream;
    this.open = open;
  }

  /**
   * Starts relaying a call that just arrived. The upstream call is made in the caller's gRPC context,
   * so it also inherits the caller's deadline and is cancelled with it.
   */
  static ServerCall.Listener<byte[]> start(ServerCall<byte[], byte[]> downstream, Metadata headers, Channel channel,
      String token, OpenCalls open) {
    ClientCall<byte[], byte[]> upstream = channel.newCall(
        RawMethods.named(downstream.getMethodDescriptor().getFullMethodName()), io.grpc.CallOptions.DEFAULT);
    RelayCall call = new RelayCall(downstream, upstream, open);
    open.add(call);
    upstream.start(call.new FromUpstream(), RelayHeaders.toUpstream(headers, token));
    upstream.request(1);
    downstream.request(1);
    return call.new FromDownstream();
  }

  /** Ends the call because the relay stops: the caller sees UNAVAILABLE and reconnects (to the next agent). */
  void stop() {
    stopping = true;
    upstream.cancel("the host agent is stopping", null);
  }

  private void askCaller() {
    if (upstream.isReady() && sentUp.compareAndSet(true, false)) {
      downstream.request(1);
    }
  }

  private void askControlPlane() {
    if (downstream.isReady() && sentDown.compareAndSet(true, false)) {
      upstream.request(1);
    }
  }

  /** What the caller does, passed upstream. */
  private final class FromDownstream extends ServerCall.Listener<byte[]> {
    @Override
    public void onMessage(byte[] message) {
      try {
        upstream.sendMessage(message);
      } catch (IllegalStateException e) {
        return; // upstream was cancelled meanwhile (the relay stops): the call is ending
      }
      sentUp.set(true);
      askCaller();
    }

    @Override
    public void onHalfClose() {
      try {
        upstream.halfClose();
      } catch (IllegalStateException e) {
        // upstream was cancelled meanwhile (the relay stops): the call is ending
      }
    }

    @Override
    public void onCancel() {
      open.remove(RelayCall.this);
      upstream.cancel("the caller cancelled the call", null);
    }

    @Override
    public void onComplete() {
      open.remove(RelayCall.this);
    }

    @Override
    public void onReady() {
      askControlPlane();
    }
  }

  /** What the control plane does, passed to the caller. */
  private final class FromUpstream extends ClientCall.Listener<byte[]> {
    @Override
    public void onHeaders(Metadata headers) {
      downstream.sendHeaders(RelayHeaders.toDownstream(headers));
    }

    @Override
    public void onMessage(byte[] message) {
      downstream.sendMessage(message);
      sentDown.set(true);
      askControlPlane();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      open.remove(RelayCall.this);
      Status relayed = stopping
          ? Status.UNAVAILABLE.withDescription("the Tether host agent is stopping; reconnect")
          : status;
      try {
        downstream.close(relayed, stopping ? new Metadata() : RelayHeaders.toDownstream(trailers));
      } catch (IllegalStateException e) {
        // the caller's call is already closed (it cancelled): nothing left to tell it
      }
    }

    @Override
    public void onReady() {
      askCaller();
    }
  }
}
