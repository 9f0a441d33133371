package io.tether.registry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.model.json.Json;
import io.tether.registry.view.RegistryUpdate;
import io.tether.registry.view.ResourceChange;
import io.tether.registry.view.ResourceChanges;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry view's changes, fanned out to every {@code GET /v1/watch} client: one listener on the
 * view for all clients (no etcd watch per client). Each change is encoded once, as a server-sent event,
 * and offered to the clients that may see its namespace. With no client connected an update costs a
 * list check.
 */
final class WatchFeed {
  private final List<WatchStream> streams = new CopyOnWriteArrayList<>();
  private final Counter dropped;

  WatchFeed(MeterRegistry meters) {
    this.dropped = Counter.builder("tether.watch.clients.dropped")
        .description("GET /v1/watch clients disconnected because they read too slowly").register(meters);
    Gauge.builder("tether.watch.clients", streams, List::size)
        .description("open GET /v1/watch streams").register(meters);
  }

  void add(WatchStream stream) {
    streams.add(stream);
  }

  void remove(WatchStream stream) {
    streams.remove(stream);
  }

  /** Counts a client dropped for reading too slowly. */
  void droppedSlowClient() {
    dropped.increment();
  }

  /** On the view's thread: quick, and never blocks on a client. */
  void onUpdate(RegistryUpdate update) {
    if (streams.isEmpty()) {
      return;
    }
    for (ResourceChange change : ResourceChanges.of(update)) {
      byte[] frame = null;
      for (WatchStream s : streams) {
        if (s.shows(change.namespace())) {
          frame = frame != null ? frame : frame(change);
          s.offer(change.revision(), frame);
        }
      }
    }
  }

  /** Ends every stream: at shutdown, so that open watches do not hold the server's grace period. */
  void endAll() {
    streams.forEach(WatchStream::end);
    streams.clear();
  }

  /** One server-sent event; bytes, not a Buffer, so that each connection writes a buffer of its own. */
  static byte[] frame(ResourceChange change) {
    String data = Json.writeString(change);
    return ("id: " + change.revision() + "\nevent: change\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
