package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.tether.model.json.Json;
import io.tether.registry.auth.ManagedToken;
import io.tether.registry.auth.ManagedTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's copy of the managed tokens (docs/security.md, "Tokens"): one range read of {@code
 * tokens/} at revision R, then one watch from R+1, applied on one thread to an immutable map by digest
 * that readers take through a volatile field. A failed watch is followed by a re-list and a new watch.
 * Tokens that stop being valid (deleted, or past their expiry, on a timer set for the next one) are told
 * to the listeners, on the same thread.
 */
public final class TokenDirectory implements ManagedTokens, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenDirectory.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** Lenient about fields it does not know: a newer replica's record may carry more. */
  private static final ObjectReader READER = Json.MAPPER.readerFor(ManagedToken.class)
      .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Client client;
  private final KeyLayout keys;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-token-directory");
    t.setDaemon(true);
    return t;
  });
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, ManagedToken> byDigest = Map.of();
  // Confined to the thread:
  private final Map<String, ManagedToken> byId = new HashMap<>();
  private final Set<String> toldExpired = new HashSet<>();
  private Watch.Watcher watcher;
  private long generation;
  private ScheduledFuture<?> expiry;
  private long applied; // the revision the map reflects
  private final java.util.TreeMap<Long, List<CompletableFuture<Void>>> waiters = new java.util.TreeMap<>();

  public TokenDirectory(Client client, KeyLayout keys, Clock clock) {
    this.client = client;
    this.keys = keys;
    this.clock = clock;
  }

  /** Lists and follows from now on; a failure is logged and retried every {@link #RETRY}. */
  public TokenDirectory start() {
    thread.execute(this::relist);
    return this;
  }

  @Override
  public Optional<ManagedToken> byDigest(String sha256) {
    return Optional.ofNullable(byDigest.get(sha256));
  }

  @Override
  public void onInvalidated(Consumer<Set<String>> listener) {
    listeners.add(listener);
  }

  /** How many tokens of each role and state ({@code active}, {@code expired}): the {@code tether_tokens} gauge. */
  public long count(io.tether.registry.auth.Role role, boolean expired) {
    Instant now = clock.instant();
    return byDigest.values().stream().filter(t -> t.role() == role && t.expiredAt(now) == expired).count();
  }

  /**
   * Completes once the map reflects {@code revision} (a write of this server's), or after {@code
   * patience}: so that a token just minted works, and one just revoked fails, on this server at once.
   */
  public CompletableFuture<Void> reached(long revision, Duration patience) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onThread(() -> {
      if (applied >= revision) {
        done.complete(null);
      } else {
        waiters.computeIfAbsent(revision, r -> new java.util.ArrayList<>()).add(done);
      }
    });
    return done.completeOnTimeout(null, patience.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.execute(this::stopWatching);
    thread.shutdown();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void relist() {
    stopWatching();
    long gen = generation;
    client.getKVClient().get(keys.tokens(), TxnOps.PREFIX).orTimeout(5, TimeUnit.SECONDS).whenComplete((r, error) ->
        onThread(() -> {
          if (gen != generation) {
            return;
          }
          if (error != null) {
            retry("list", error);
          } else {
            listed(r);
          }
        }));
  }

  private void listed(GetResponse r) {
    Map<String, ManagedToken> listed = new HashMap<>();
    for (KeyValue kv : r.getKvs()) {
      decode(kv).ifPresent(t -> listed.put(t.id(), t));
    }
    Set<String> gone = new HashSet<>(byId.keySet());
    gone.removeAll(listed.keySet());
    byId.clear();
    byId.putAll(listed);
    changed(gone, r.getHeader().getRevision());
    watch(r.getHeader().getRevision() + 1);
  }

  private void watch(long fromRevision) {
    long gen = generation;
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).withProgressNotify(true).build();
    watcher = client.getWatchClient().watch(keys.tokens(), option, Watch.listener(
        response -> onThread(() -> ifCurrent(gen, () -> apply(response))),
        error -> onThread(() -> ifCurrent(gen, () -> retry("watch", error))),
        () -> onThread(() -> ifCurrent(gen, () -> retry("watch", new IllegalStateException("watch ended"))))));
  }

  private void apply(WatchResponse response) {
    Set<String> gone = new HashSet<>();
    for (WatchEvent event : response.getEvents()) {
      String id = event.getKeyValue().getKey().substring(keys.tokens().size()).toString(UTF_8);
      if (event.getEventType() == WatchEvent.EventType.DELETE) {
        if (byId.remove(id) != null) {
          gone.add(id);
        }
      } else {
        decode(event.getKeyValue()).ifPresent(t -> byId.put(t.id(), t));
      }
    }
    changed(gone, response.getHeader().getRevision());
  }

  /** Publishes the map, tells of what went, sets the timer for the next expiry, and wakes the waiters. */
  private void changed(Set<String> gone, long revision) {
    Map<String, ManagedToken> next = new HashMap<>();
    byId.values().forEach(t -> next.put(t.sha256(), t));
    byDigest = Map.copyOf(next);
    toldExpired.retainAll(byId.keySet());
    gone.addAll(newlyExpired());
    tell(gone);
    scheduleExpiry();
    applied = Math.max(applied, revision);
    while (!waiters.isEmpty() && waiters.firstKey() <= applied) {
      waiters.pollFirstEntry().getValue().forEach(w -> w.complete(null));
    }
  }

  private Set<String> newlyExpired() {
    Instant now = clock.instant();
    Set<String> out = new HashSet<>();
    for (ManagedToken t : byId.values()) {
      if (t.expiredAt(now) && toldExpired.add(t.id())) {
        out.add(t.id());
      }
    }
    return out;
  }

  private void scheduleExpiry() {
    if (expiry != null) {
      expiry.cancel(false);
    }
    byId.values().stream().filter(t -> t.expiresAt() != null && !toldExpired.contains(t.id()))
        .map(ManagedToken::expiresAt).min(Instant::compareTo).ifPresent(next -> {
          long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis()) + 1;
          expiry = thread.schedule(() -> {
            tell(newlyExpired());
            scheduleExpiry();
          }, delay, TimeUnit.MILLISECONDS);
        });
  }

  private void tell(Set<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Set<String> copy = Set.copyOf(ids);
    for (Consumer<Set<String>> listener : listeners) {
      try {
        listener.accept(copy);
      } catch (RuntimeException e) {
        log.warn("a listener of revoked tokens failed", e);
      }
    }
  }

  private void retry(String what, Throwable error) {
    log.warn("following the managed tokens failed ({}: {}); listing again in {} s", what, error.getMessage(),
        RETRY.toSeconds());
    stopWatching();
    thread.schedule(this::relist, RETRY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stopWatching() {
    generation++;
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  /** Runs on the directory's thread; what arrives after {@link #close} is dropped. */
  private void onThread(Runnable task) {
    try {
      thread.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed: nothing follows the tokens any more
    }
  }

  private void ifCurrent(long gen, Runnable task) {
    if (gen == generation) {
      task.run();
    }
  }

  private static Optional<ManagedToken> decode(KeyValue kv) {
    try {
      return Optional.of(READER.readValue(kv.getValue().getBytes()));
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("skipping an undecodable token record: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
