package io.tether.registry.view;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The registry as of one etcd revision, kept current by a watch.
 *
 * <p>Thread-safety: {@link #current()} is a volatile read of an immutable {@link RegistryState}, so any
 * thread may call it at any rate without locks. A state is never partial: it is exactly etcd's content
 * under the prefix at {@link RegistryState#revision()}.
 */
public interface RegistryView {
  /** The latest complete state; before the first load, an empty state at revision 0. */
  RegistryState current();

  /** True when etcd is reachable and the view has caught up with it. */
  boolean isReady();

  /** Registers a listener; it first receives nothing of the past, only updates after this call. */
  void addListener(RegistryListener listener);

  /** Completes with a state at or after {@code revision}, or exceptionally after the timeout. */
  CompletableFuture<RegistryState> awaitRevision(long revision, Duration timeout);
}
