package io.tether.registry.api;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One client of {@code GET /v1/watch}: which namespaces it sees, and its bounded buffer. Frames are
 * offered on the view's thread and written on the client's event loop; a client that falls more than
 * {@link #MAX_PENDING} frames behind, or whose connection holds more than {@link #MAX_QUEUED_BYTES}
 * unsent, is disconnected (and reconnects): a slow reader must never hold the view's thread or grow
 * the server's memory.
 */
final class WatchStream {
  static final int MAX_PENDING = 1_000;
  static final int MAX_QUEUED_BYTES = 1 << 20;

  private final Context context;
  private final HttpServerResponse response;
  private final Predicate<String> shows;
  private long fromRevision = Long.MAX_VALUE; // confined to the client's event loop
  private final Runnable onOverflow;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  WatchStream(Context context, HttpServerResponse response, Predicate<String> shows, Runnable onOverflow) {
    this.context = context;
    this.response = response;
    this.shows = shows;
    this.onOverflow = onOverflow;
    response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
  }

  /**
   * Sends changes after {@code revision} from now on; on the client's event loop, before any queued
   * frame runs there (they run after the handler that registered the stream), so none is lost or doubled.
   */
  void start(long revision) {
    fromRevision = revision;
  }

  /** Whether this client may see changes of {@code namespace}. */
  boolean shows(String namespace) {
    return shows.test(namespace);
  }

  /** Queues the frame of a change at {@code revision}; from any thread. */
  void offer(long revision, byte[] frame) {
    if (closed.get()) {
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      overflow();
      return;
    }
    context.runOnContext(v -> {
      pending.decrementAndGet();
      if (revision > fromRevision) {
        write(Buffer.buffer(frame));
      }
    });
  }

  /** Writes a frame now; on the client's event loop. */
  void write(Buffer frame) {
    if (closed.get() || response.closed() || response.ended()) {
      return;
    }
    response.write(frame);
    if (response.writeQueueFull()) {
      overflow();
    }
  }

  /** Ends the stream (server shutdown); from any thread. */
  void end() {
    if (closed.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        if (!response.ended() && !response.closed()) {
          response.end();
        }
      });
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Marks the stream gone when its connection closes. */
  void closed() {
    closed.set(true);
  }

  private void overflow() {
    if (closed.compareAndSet(false, true)) {
      onOverflow.run();
      context.runOnContext(v -> response.reset());
    }
  }
}
