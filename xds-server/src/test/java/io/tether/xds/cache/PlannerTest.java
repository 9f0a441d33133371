package io.tether.xds.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static VersionedResource<?> cla(String name, String version) {
    return VersionedResource.create(ClusterLoadAssignment.newBuilder().setClusterName(name).build(), version);
  }

  private static VersionedResource<?> listener(String name, String version) {
    return VersionedResource.create(Listener.newBuilder().setName(name).build(), version);
  }

  private static TypeResources of(VersionedResource<?>... rs) {
    TypeResources t = TypeResources.EMPTY;
    for (VersionedResource<?> r : rs) {
      t = t.with(io.envoyproxy.controlplane.cache.Resources.getResourceName(r.resource()), r);
    }
    return t;
  }

  @Test
  void endpointsResponseCarriesOnlyTheAssignmentThatChanged() {
    TypeState state = new TypeState();
    TypeResources v1 = of(cla("a", "1"), cla("b", "1"), cla("c", "1"));
    SotwPlanner.Plan first = SotwPlanner.plan(state, List.of("a", "b", "c"), v1, false, null).orElseThrow();
    assertThat(first.resources()).containsOnlyKeys("a", "b", "c");
    state.onSent(first.versions(), v1.version());
    state.onReply(null, false);

    TypeResources v2 = v1.with("b", cla("b", "2"));
    SotwPlanner.Plan second = SotwPlanner.plan(state, List.of("a", "b", "c"), v2, false, Set.of("b")).orElseThrow();
    assertThat(second.resources()).containsOnlyKeys("b");
  }

  @Test
  void whatAStreamRecordsItHoldsIsKeyedByTheSnapshotsNamesNotTheRequestsCopies() {
    VersionedResource<?> a = cla("a", "1");
    TypeResources v1 = of(a, listener("x", "1"));
    String requested = new String("a".toCharArray()); // as parsed from a request: equal, not the same
    SotwPlanner.Plan sotw = SotwPlanner.plan(new TypeState(), List.of(requested), v1, false, null).orElseThrow();
    DeltaPlanner.Plan delta = DeltaPlanner.plan(new TypeState(), Map.of(), Set.of(requested), false, v1, null)
        .orElseThrow();
    String own = ((ClusterLoadAssignment) a.resource()).getClusterName();
    assertThat(sotw.resources().keySet().iterator().next()).isSameAs(own);
    assertThat(delta.resources().keySet().iterator().next()).isSameAs(own);
  }

  @Test
  void aNackedVersionIsNotSentAgainButTheNextChangeIs() {
    TypeState state = new TypeState();
    TypeResources v1 = of(cla("a", "1"));
    state.onSent(SotwPlanner.plan(state, List.of("a"), v1, false, null).orElseThrow().versions(), v1.version());
    state.onReply("bad endpoint", false);
    assertThat(state.lastNack.message()).isEqualTo("bad endpoint");
    assertThat(state.lastNack.version()).isEqualTo(v1.version());
    assertThat(SotwPlanner.plan(state, List.of("a"), v1, false, null)).as("no resend storm").isEmpty();

    TypeResources v2 = v1.with("a", cla("a", "2"));
    assertThat(SotwPlanner.plan(state, List.of("a"), v2, false, null)).isPresent();
  }

  @Test
  void fullStateTypesAnswerAMissingNameAtOnceWithNothing() {
    TypeState state = new TypeState();
    SotwPlanner.Plan plan = SotwPlanner.plan(state, List.of("payments:8080"), TypeResources.EMPTY, true, null).orElseThrow();
    assertThat(plan.resources()).as("an empty answer means 'does not exist' to the client").isEmpty();
    state.onSent(plan.versions(), "0");
    state.onReply(null, true);
    assertThat(SotwPlanner.plan(state, List.of("payments:8080"), TypeResources.EMPTY, true, null)).isEmpty();
    TypeResources created = of(listener("payments:8080", "1"));
    assertThat(SotwPlanner.plan(state, List.of("payments:8080"), created, true, null).orElseThrow().resources())
        .containsOnlyKeys("payments:8080");
  }

  @Test
  void fullStateTypesSendEverythingWhenOneChangesAndNoticeRemovals() {
    TypeState state = new TypeState();
    TypeResources v1 = of(listener("x", "1"), listener("y", "1"));
    state.onSent(SotwPlanner.plan(state, List.of(), v1, true, null).orElseThrow().versions(), v1.version());
    state.onReply(null, true);
    TypeResources v2 = v1.with("y", listener("y", "2"));
    assertThat(SotwPlanner.plan(state, List.of(), v2, true, null).orElseThrow().resources()).containsOnlyKeys("x", "y");
    TypeResources v3 = v1.with("y", null);
    assertThat(SotwPlanner.plan(state, List.of(), v3, true, null).orElseThrow().resources()).containsOnlyKeys("x");
  }

  @Test
  void deltaSendsChangesAndRemovalsAndNeverTheRejectedVersion() {
    TypeState state = new TypeState();
    TypeResources current = of(cla("a", "2"), cla("b", "1"));
    DeltaPlanner.Plan plan = DeltaPlanner.plan(state, Map.of("a", "1", "b", "1", "gone", "1"), Set.of(), false, current,
        null).orElseThrow();
    assertThat(plan.resources()).containsOnlyKeys("a");
    assertThat(plan.removed()).containsExactly("gone");
    state.onSent(Map.of("a", "2"), current.version());
    state.onReply("rejected", false);
    assertThat(DeltaPlanner.plan(state, Map.of("a", "1", "b", "1"), Set.of(), false, current, null)).isEmpty();
  }

  @Test
  void deltaUpdateLooksAtTheChangedNamesThePendingOnesAndTheOwedResendsOnly() {
    TypeState state = new TypeState();
    TypeResources current = of(cla("a", "2"), cla("b", "2"), cla("c", "1"), cla("p", "1"));
    state.resend.add("c");
    Map<String, String> known = Map.of("a", "1", "b", "1", "c", "1", "gone", "1");
    DeltaPlanner.Plan plan = DeltaPlanner.plan(state, known, Set.of("p"), false, current, Set.of("a", "gone", "other"))
        .orElseThrow();
    assertThat(plan.resources()).as("b is not among the update's names").containsOnlyKeys("a", "c", "p");
    assertThat(plan.removed()).containsExactly("gone");
    assertThat(DeltaPlanner.plan(new TypeState(), Map.of("a", "2"), Set.of(), true, current, Set.of("b")).orElseThrow()
        .resources()).as("a wildcard stream is sent a new name of the update").containsOnlyKeys("b");
  }

  @Test
  void typeVersionDependsOnContentNotOnOrder() {
    TypeResources ab = of(cla("a", "1"), cla("b", "1"));
    TypeResources ba = of(cla("b", "1"), cla("a", "1"));
    assertThat(ab.version()).isEqualTo(ba.version());
    assertThat(ab.with("a", cla("a", "2")).version()).isNotEqualTo(ab.version());
    assertThat(ab.with("a", cla("a", "2")).with("a", cla("a", "1")).version()).isEqualTo(ab.version());
    assertThat(of(cla("a", "1")).version()).isNotEqualTo(of(cla("b", "1")).version())
        .isNotEqualTo(TypeResources.EMPTY.version());
  }

  @Test
  void aVersionRejectedOnceIsSentAgainAfterTheClientAcceptedAnother() {
    // a route's version comes back when its VIPs change back
    TypeState state = new TypeState();
    TypeResources x = of(cla("a", "x"));
    TypeResources y = of(cla("a", "y"));
    state.onSent(SotwPlanner.plan(state, List.of("a"), x, false, null).orElseThrow().versions(), x.version());
    state.onReply("bad endpoint", false);
    state.onSent(SotwPlanner.plan(state, List.of("a"), y, false, null).orElseThrow().versions(), y.version());
    state.onReply(null, false);
    assertThat(SotwPlanner.plan(state, List.of("a"), x, false, null)).isPresent();
  }

  @Test
  void removingWhatIsNotThereChangesNothing() {
    GroupSnapshot snapshot = GroupSnapshot.EMPTY.with(ResourceType.ENDPOINT, "a", cla("a", "1"));
    assertThat(snapshot.with(ResourceType.ENDPOINT, "b", null)).isSameAs(snapshot);
    assertThat(snapshot.with(ResourceType.CLUSTER, "a", null)).isSameAs(snapshot);
    assertThat(snapshot.types()).containsOnlyKeys(ResourceType.ENDPOINT);
    assertThat(snapshot.types().get(ResourceType.ENDPOINT).resources()).containsOnlyKeys("a");
  }
}
