package io.tether.registry.view;

import io.tether.registry.view.EtcdRegistryView.Readiness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EtcdRegistryView}'s readiness and its listeners: re-evaluated after any of its inputs changed,
 * from whichever thread changed it (the view's, the prober's, a gRPC thread), and told to the listeners
 * under one lock, so that they see changes in the order they happened. It keeps the revisions readiness
 * compares: how far the watch has got (events or progress notifications) and what etcd reported at the
 * last two probes. Those never label a state (see {@link EtcdRegistryView}).
 */
final class ViewReadiness {
  private static final Logger log = LoggerFactory.getLogger(EtcdRegistryView.class);

  private final Supplier<Readiness> evaluation;
  private final BooleanSupplier closed;
  private final LongSupplier revision;
  /**
   * How many probes the watch may trail etcd by and stay ready. A server busy pushing to thousands of
   * proxies falls a probe or two behind while a burst of writes streams in (the churn scenario of
   * docs/scale.md flapped /readyz at one probe); a watch that stopped is still reported within this many
   * probe intervals.
   */
  static final int TOLERATED_PROBES = 4;

  private volatile long lastProbeRevision;
  /** The revisions etcd reported at the last probes, oldest first: the view's thread alone writes it. */
  private final long[] probeRevisions = new long[TOLERATED_PROBES + 1];
  private volatile long toleratedProbeRevision;
  /** The highest revision the watch has reported, events or progress: for readiness and lag only. */
  private volatile long watchedRevision;
  private final List<Consumer<Readiness>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile Readiness current = new Readiness(false, "not loaded yet");

  /**
   * @param evaluation the readiness the inputs give now ({@link #evaluate})
   * @param closed true once the view is closed: nothing more is told
   * @param revision the revision of the view's state, for the log
   */
  ViewReadiness(Supplier<Readiness> evaluation, BooleanSupplier closed, LongSupplier revision) {
    this.evaluation = evaluation;
    this.closed = closed;
    this.revision = revision;
  }

  /**
   * Loaded, the watch up, the watch level with the revision etcd reported {@link #TOLERATED_PROBES}
   * probes before the last, and etcd reachable.
   */
  static Readiness evaluate(boolean loaded, boolean reachable, boolean watching, long confirmedRevision,
      long etcdRevisionProbesAgo) {
    if (!loaded) {
      return new Readiness(false, "not loaded yet");
    } else if (!reachable) {
      return new Readiness(false, "etcd unreachable");
    } else if (!watching) {
      return new Readiness(false, "registry watch lost; re-listing");
    } else if (confirmedRevision < etcdRevisionProbesAgo) {
      return new Readiness(false, "behind etcd: confirmed revision " + confirmedRevision + ", etcd at "
          + etcdRevisionProbesAgo + " " + TOLERATED_PROBES + " probes ago");
    }
    return new Readiness(true, null);
  }

  /** The watch reported {@code revision}, with events or as progress. On the view's thread. */
  void watched(long revision) {
    watchedRevision = Math.max(watchedRevision, revision);
  }

  /** A probe answered with etcd at {@code revision}; false for a late answer, overtaken by a newer one. */
  boolean probedAt(long revision) {
    if (revision < lastProbeRevision) {
      return false;
    }
    System.arraycopy(probeRevisions, 1, probeRevisions, 0, TOLERATED_PROBES);
    probeRevisions[TOLERATED_PROBES] = revision;
    toleratedProbeRevision = probeRevisions[0];
    lastProbeRevision = revision;
    return true;
  }

  /** The revision the view has confirmed: its state's, or further when the watch reported progress. */
  long confirmedRevision(long stateRevision) {
    return Math.max(stateRevision, watchedRevision);
  }

  /** What etcd reported {@link #TOLERATED_PROBES} probes before the last: what the watch must have reached to be ready. */
  long etcdRevisionProbesAgo() {
    return toleratedProbeRevision;
  }

  /** How many revisions the view trails etcd by, as of the last probe. */
  long lag(long stateRevision) {
    return Math.max(0, lastProbeRevision - confirmedRevision(stateRevision));
  }

  Readiness current() {
    return current;
  }

  /** Told every change of readiness, in order, on the thread that made it; must be quick. */
  void addListener(Consumer<Readiness> listener) {
    listeners.add(listener);
  }

  /** Re-evaluates readiness; tells the listeners when it changed. */
  void update() {
    synchronized (lock) {
      Readiness next = evaluation.get();
      if (next.ready() == current.ready() || closed.getAsBoolean()) {
        return;
      }
      current = next;
      if (next.ready()) {
        log.info("registry view ready at revision {}", revision.getAsLong());
      } else {
        log.warn("registry view not ready: {}", next.reason());
      }
      for (Consumer<Readiness> listener : listeners) {
        listener.accept(next);
      }
    }
  }
}
