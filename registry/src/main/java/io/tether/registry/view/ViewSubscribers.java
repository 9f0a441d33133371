package io.tether.registry.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who {@link EtcdRegistryView} tells about a new state: its listeners, each update in order, and the
 * futures waiting for a revision. {@link #published} runs on the view's thread only.
 */
final class ViewSubscribers {
  private static final Logger log = LoggerFactory.getLogger(EtcdRegistryView.class);

  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  // Confined to the view's thread.
  private final TreeMap<Long, List<CompletableFuture<RegistryState>>> waiters = new TreeMap<>();

  void addListener(RegistryListener listener) {
    listeners.add(listener);
  }

  /**
   * The first state at {@code revision} or later: at once when {@code loaded} (the view's state, null
   * before the first load) is there, else when one is {@link #published} on {@code loop}, the view's thread.
   */
  CompletableFuture<RegistryState> await(long revision, Duration timeout, Supplier<RegistryState> loaded,
      Executor loop) {
    CompletableFuture<RegistryState> f = new CompletableFuture<>();
    RegistryState now = loaded.get();
    if (now != null && now.revision() >= revision) {
      f.complete(now);
      return f;
    }
    loop.execute(() -> {
      RegistryState then = loaded.get();
      if (then != null && then.revision() >= revision) {
        f.complete(then);
      } else {
        waiters.computeIfAbsent(revision, r -> new ArrayList<>()).add(f);
      }
    });
    return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** {@code next} was published: the waiters it satisfies complete, and the listeners hear of a change. */
  void published(RegistryState previous, RegistryState next, Set<RegistryChange> changes, boolean resync,
      long receivedAtNanos) {
    Map<Long, List<CompletableFuture<RegistryState>>> due = waiters.headMap(next.revision(), true);
    due.values().forEach(list -> list.forEach(f -> f.complete(next)));
    due.clear();
    if (changes.isEmpty() && !resync) {
      return;
    }
    RegistryUpdate update = new RegistryUpdate(previous, next, changes, resync, receivedAtNanos);
    for (RegistryListener listener : listeners) {
      try {
        listener.onUpdate(update);
      } catch (RuntimeException e) {
        log.error("registry listener {} failed", listener, e);
      }
    }
  }
}
