package io.tether.registry.store;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.tether.model.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas sharing one etcd (docs/operations.md, "Replicas"): this replica's record under {@code
 * replicas/{id}}, attached to a lease of its own that it keeps alive every {@link #KEEPALIVE}, and the
 * list of every replica's record. A replica that dies leaves within {@link #TTL_SECONDS}; one whose lease
 * expired (etcd was away longer than that) registers afresh at the next keepalive.
 *
 * <p>Thread-safety: registration and the refresh of the list run on one timer thread; {@link #list} may be
 * called from any thread.
 */
public final class ReplicaDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaDirectory.class);
  public static final long TTL_SECONDS = 10;
  static final Duration KEEPALIVE = Duration.ofSeconds(3);
  private static final long CALL_TIMEOUT_MS = 2_000;
  /** Lenient about fields it does not know: a newer replica's record may carry more. */
  private static final com.fasterxml.jackson.databind.ObjectReader READER = Json.MAPPER.readerFor(ReplicaInfo.class)
      .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Client client;
  private final KeyLayout keys;
  private final ReplicaInfo self;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-replica-registration");
    t.setDaemon(true);
    return t;
  });
  private volatile long leaseId; // 0 while not registered; written on the timer thread only
  private volatile List<ReplicaInfo> known; // the last list read, refreshed with every keepalive; null before

  public ReplicaDirectory(Client client, KeyLayout keys, ReplicaInfo self) {
    this.client = client;
    this.keys = keys;
    this.self = self;
  }

  /** Registers now and keeps the record alive; a failure is logged and retried at the next keepalive. */
  public ReplicaDirectory start() {
    timer.scheduleWithFixedDelay(this::keepRegistered, 0, KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public ReplicaInfo self() {
    return self;
  }

  /**
   * Every replica's record, this one's included once it is registered: the list read at the last
   * keepalive (at most {@link #KEEPALIVE} old, so a request costs no etcd read and does not wait on an
   * etcd that is away), or read now before the first one.
   */
  public CompletableFuture<List<ReplicaInfo>> list() {
    List<ReplicaInfo> last = known;
    return last != null ? CompletableFuture.completedFuture(last) : read();
  }

  private CompletableFuture<List<ReplicaInfo>> read() {
    return client.getKVClient().get(keys.replicas(), GetOption.builder().isPrefix(true).build())
        .orTimeout(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .thenApply(r -> {
          List<ReplicaInfo> out = new ArrayList<>();
          for (KeyValue kv : r.getKvs()) {
            try {
              out.add(READER.readValue(kv.getValue().getBytes()));
            } catch (java.io.IOException | RuntimeException e) {
              log.warn("skipping an undecodable replica record: {}", e.getMessage());
            }
          }
          return out;
        });
  }

  /** Stops keeping the record alive and revokes its lease, so that peers stop asking this replica at once. */
  @Override
  public void close() {
    timer.shutdownNow();
    long id = leaseId;
    if (id != 0) {
      try {
        client.getLeaseClient().revoke(id).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.info("could not revoke the replica lease ({}); its record expires within {} s", e.getMessage(), TTL_SECONDS);
      }
    }
  }

  private void keepRegistered() {
    try {
      if (leaseId == 0 || !keptAlive(leaseId)) {
        register();
      }
      known = read().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("replica record {} not refreshed ({}); retrying in {} s", self.id(), e.getMessage(), KEEPALIVE.toSeconds());
    }
  }

  /** False when the lease is gone (expired while etcd was away): the record must be written again. */
  private boolean keptAlive(long id) throws Exception {
    try {
      return client.getLeaseClient().keepAliveOnce(id).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS).getTTL() > 0;
    } catch (java.util.concurrent.ExecutionException e) {
      if (String.valueOf(e.getCause().getMessage()).contains("lease not found")) {
        return false;
      }
      throw e;
    }
  }

  private void register() throws Exception {
    long id = client.getLeaseClient().grant(TTL_SECONDS).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS).getID();
    PutOption attached = PutOption.builder().withLeaseId(id).build();
    client.getKVClient().put(keys.replica(self.id()), KeyLayout.bytes(Json.writeString(self)), attached)
        .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    leaseId = id;
    log.info("replica {} registered at {} (lease {})", self.id(), self.apiUrl(), Long.toHexString(id));
  }
}
