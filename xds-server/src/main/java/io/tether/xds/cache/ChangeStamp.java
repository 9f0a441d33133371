package io.tether.xds.cache;

/**
 * Which registry revision a published snapshot was built from, and when the registry view received it
 * ({@link System#nanoTime}; 0 when the snapshot is no change but a group's first). etcd events carry
 * no commit time, so the view's receipt is where the write-to-ACK histogram starts (docs/metrics.md).
 */
public record ChangeStamp(long revision, long receivedAtNanos) {
  /** A group's first snapshot, rendered from the state at {@code revision}: nothing changed. */
  public static ChangeStamp initial(long revision) {
    return new ChangeStamp(revision, 0);
  }

  boolean isChange() {
    return receivedAtNanos != 0;
  }
}
