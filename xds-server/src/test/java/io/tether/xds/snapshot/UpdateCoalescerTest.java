package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.view.RegistryChange.EndpointsChanged;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.RegistryUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pcollections.HashTreePMap;

/** Registry updates are applied at once after a quiet spell and merged within the interval after one. */
class UpdateCoalescerTest {
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
  private final List<RegistryUpdate> applied = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  @Test
  void aBurstAfterAnAppliedUpdateIsAppliedAsOneUpdateFromTheLatestState() throws Exception {
    // An interval far longer than the two offers below take, so that they surely fall within it.
    UpdateCoalescer coalescer = new UpdateCoalescer(thread, Duration.ofSeconds(2), () -> false, applied::add);
    coalescer.offer(update(1, 2, "a"));
    coalescer.awaitDrained();
    assertThat(applied).as("the first update after a quiet spell is applied without waiting").hasSize(1);

    coalescer.offer(update(2, 3, "b"));
    coalescer.offer(update(3, 4, "c"));
    coalescer.awaitDrained();
    assertThat(applied).hasSize(2);
    RegistryUpdate merged = applied.get(1);
    assertThat(merged.previous().revision()).isEqualTo(2);
    assertThat(merged.current().revision()).isEqualTo(4);
    assertThat(merged.changes()).containsExactlyInAnyOrder(new EndpointsChanged("ns", "b"),
        new EndpointsChanged("ns", "c"));
  }

  @Test
  void whileClientsKeepUpEveryUpdateIsAppliedAtOnceOnItsOwn() throws Exception {
    UpdateCoalescer coalescer = new UpdateCoalescer(thread, Duration.ofHours(1), () -> true, applied::add);
    coalescer.offer(update(1, 2, "a"));
    coalescer.awaitDrained();
    coalescer.offer(update(2, 3, "b"));
    coalescer.awaitDrained();
    coalescer.offer(update(3, 4, "c"));
    coalescer.awaitDrained(); // with clients behind, this would wait the hour
    assertThat(applied).extracting(u -> u.current().revision()).containsExactly(2L, 3L, 4L);
  }

  @Test
  void anUpdateArrivingWhileOneIsAppliedWaitsEvenIfClientsLookCaughtUp() throws Exception {
    UpdateCoalescer[] coalescer = new UpdateCoalescer[1];
    coalescer[0] = new UpdateCoalescer(thread, Duration.ofHours(1), () -> true, update -> {
      applied.add(update);
      if (applied.size() == 1) {
        coalescer[0].offer(update(2, 3, "b")); // the view delivers the next while this one is applied
      }
    });
    coalescer[0].offer(update(1, 2, "a"));
    thread.submit(() -> { }).get(); // runs after the first apply, before the hour is up
    assertThat(applied).as("the second waits for the interval").hasSize(1);

    thread.submit(coalescer[0]::applyPending).get();
    assertThat(applied).extracting(u -> u.current().revision()).containsExactly(2L, 3L);
  }

  @Test
  void aMergedUpdateIsTimedFromItsFirstReceiptAndIsAResyncIfEitherWas() {
    RegistryUpdate first = new RegistryUpdate(state(1), state(2), Set.of(), false, 100);
    RegistryUpdate second = new RegistryUpdate(state(2), state(3), Set.of(), true, 200);
    RegistryUpdate merged = UpdateCoalescer.merge(first, second);
    assertThat(merged.receivedAtNanos()).isEqualTo(100);
    assertThat(merged.resync()).isTrue();
  }

  @Test
  void aStaleReplayMergedAfterANewerUpdateDoesNotRollItsStateBack() {
    RegistryUpdate newer = update(1, 5, "a");
    RegistryUpdate stale = update(5, 3, "b");
    assertThat(UpdateCoalescer.merge(newer, stale).current().revision()).isEqualTo(5);
    RegistryUpdate relist = new RegistryUpdate(state(5), state(3), Set.of(), true);
    assertThat(UpdateCoalescer.merge(newer, relist).current().revision()).as("a re-list is the truth").isEqualTo(3);
  }

  private static RegistryUpdate update(long from, long to, String service) {
    return new RegistryUpdate(state(from), state(to), Set.of(new EndpointsChanged("ns", service)), false);
  }

  private static RegistryState state(long revision) {
    return new RegistryState(revision, HashTreePMap.empty());
  }
}
