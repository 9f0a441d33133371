package io.tether.registry.store;

import static io.tether.registry.store.StoreOnEtcd.await;
import static io.tether.registry.store.StoreOnEtcd.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.tether.model.ErrorCode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The store's retry rule, on its own: a write attempt that lost the race from its read (empty) is run
 * again, at most {@value CasWriter#MAX_ATTEMPTS} times in all, then the writer is told to try again.
 */
class CasWriterTest {
  /** {@link CasWriter#retrying} calls neither etcd nor its calls: only the attempt it is given. */
  private final CasWriter cas = new CasWriter(null, null);

  @Test
  void anAttemptThatLostTheRaceIsRunAgainUntilItYieldsItsResult() {
    AtomicInteger attempts = new AtomicInteger();
    String written = await(cas.retrying(() -> CompletableFuture.completedFuture(
        attempts.incrementAndGet() < 3 ? Optional.<String>empty() : Optional.of("written"))));
    assertThat(written).isEqualTo("written");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void aWriterThatLosesEveryRaceIsAbortedAfterTheLastAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    refused(() -> await(cas.retrying(() -> {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture(Optional.empty());
    })), ErrorCode.ABORTED, "too many concurrent writers; try again");
    assertThat(attempts).hasValue(CasWriter.MAX_ATTEMPTS);
  }
}
