package io.tether.registry.view;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.tether.registry.store.KeyLayout;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link EtcdRegistryView}'s one watch of the registry prefix, with progress notifications. Its callbacks
 * run on the view's thread (through {@code onLoop}), and only for the watch started last: once a watch is
 * closed or replaced, its late responses and errors are dropped. Confined to the view's thread.
 */
final class PrefixWatch {
  private final Client client;
  private final KeyLayout keys;
  private final Consumer<Runnable> onLoop;
  private final Runnable heard;
  private Watch.Watcher watcher;
  private long generation;
  /** Watches that failed or ended while current: each is followed by a re-list and a new watch. */
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param onLoop runs a task on the view's thread
   * @param heard told, on the gRPC thread, of every response: a busy view must not hide that etcd answers
   */
  PrefixWatch(Client client, KeyLayout keys, Consumer<Runnable> onLoop, Runnable heard) {
    this.client = client;
    this.keys = keys;
    this.onLoop = onLoop;
    this.heard = heard;
  }

  /** Closes the current watch, if any, and watches from {@code fromRevision}; an ended watch is an error. */
  void start(long fromRevision, Consumer<WatchResponse> onResponse, Consumer<Throwable> onError) {
    close();
    long gen = generation;
    WatchOption option = WatchOption.builder()
        .isPrefix(true).withRevision(fromRevision).withProgressNotify(true).build();
    watcher = client.getWatchClient().watch(keys.root(), option, Watch.listener(
        response -> {
          heard.run();
          onLoop.accept(() -> ifCurrent(gen, () -> onResponse.accept(response)));
        },
        error -> onLoop.accept(() -> ifCurrent(gen, () -> failed(onError, error))),
        () -> onLoop.accept(() -> ifCurrent(gen,
            () -> failed(onError, new IllegalStateException("watch completed"))))));
  }

  /** How many watches failed or ended while current; read from any thread (a meter). */
  long failures() {
    return failures.get();
  }

  private void failed(Consumer<Throwable> onError, Throwable error) {
    failures.incrementAndGet();
    onError.accept(error);
  }

  /** Asks etcd for a progress notification on the current watch, if there is one. */
  void requestProgress() {
    if (watcher != null) {
      watcher.requestProgress();
    }
  }

  /** Closes the current watch; what it still delivers is dropped. */
  void close() {
    generation++;
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  private void ifCurrent(long gen, Runnable task) {
    if (gen == generation) {
      task.run();
    }
  }
}
