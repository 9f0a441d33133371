package io.tether.registry.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.registry.store.RegistryKey;
import io.tether.registry.view.RegistryChange.EndpointsChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the view applies an operator's drain key to the endpoint its agent writes (ServiceEntry). */
class DrainViewTest {
  private static final RegistryKey.EndpointKey EP = new RegistryKey.EndpointKey("shop", "cart", "e1");
  private static final RegistryKey.DrainKey DRAIN = new RegistryKey.DrainKey("shop", "cart", "e1");

  @Test
  void aDrainedEndpointIsDrainingWhateverItsAgentWritesAndKeepsItsOwnRevision() {
    RegistryState s = step(RegistryState.EMPTY, EP, endpoint(Health.HEALTHY), 5);
    StateMutation drain = new StateMutation(s);
    drain.apply(DRAIN, "{}".getBytes(), 6);
    assertThat(drain.changes()).containsExactly(new EndpointsChanged("shop", "cart"));
    s = drain.result(6);
    assertThat(s.endpoints("shop", "cart").get("e1")).isEqualTo(new Versioned<>(endpoint(Health.DRAINING), 5));
    assertThat(s.drained("shop", "cart", "e1")).isTrue();

    s = step(s, EP, endpoint(Health.HEALTHY), 7); // the agent's next report
    assertThat(s.endpoints("shop", "cart").get("e1")).isEqualTo(new Versioned<>(endpoint(Health.DRAINING), 7));

    RegistryState drained = s;
    s = step(s, DRAIN, null, 8);
    assertThat(s.endpoints("shop", "cart").get("e1")).isEqualTo(new Versioned<>(endpoint(Health.HEALTHY), 7));
    assertThat(s.drained("shop", "cart", "e1")).isFalse();
    assertThat(StateDiff.between(drained, s)).as("a re-list sees the undrain too")
        .containsExactly(new EndpointsChanged("shop", "cart"));
  }

  @Test
  void aDrainOutlivesItsEndpointAndAppliesToTheIdRegisteredAgain() {
    RegistryState s = step(step(RegistryState.EMPTY, EP, endpoint(Health.HEALTHY), 5), DRAIN, "{}".getBytes(), 6);
    s = step(s, EP, null, 7); // the lease expired
    assertThat(s.endpoints("shop", "cart")).isEmpty();
    assertThat(s.services("shop")).as("the drain alone keeps the entry").containsKey("cart");
    s = step(s, EP, endpoint(Health.HEALTHY), 9);
    assertThat(s.endpoints("shop", "cart").get("e1").value().health()).isEqualTo(Health.DRAINING);
    s = step(step(s, EP, null, 10), DRAIN, null, 11);
    assertThat(s.services("shop")).as("nothing left of the service").isEmpty();
  }

  @Test
  void theWatchSeesADrainAsAPutOfTheEndpointAtTheDrainsRevision() {
    RegistryState before = step(RegistryState.EMPTY, EP, endpoint(Health.HEALTHY), 5);
    RegistryState after = step(before, DRAIN, "{}".getBytes(), 6);
    List<ResourceChange> changes = ResourceChanges.of(new RegistryUpdate(before, after,
        java.util.Set.of(new EndpointsChanged("shop", "cart")), false));
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).revision()).isEqualTo(6);
    assertThat(changes.get(0).value()).isEqualTo(new EndpointView(endpoint(Health.DRAINING), true));
  }

  private static RegistryState step(RegistryState s, RegistryKey key, Object value, long revision) {
    StateMutation m = new StateMutation(s);
    m.apply(key, value == null ? null : value instanceof byte[] b ? b : Json.write(value), revision);
    return m.result(revision);
  }

  private static Endpoint endpoint(Health health) {
    return new Endpoint("10.0.0.1", 15000, null, health, null, null, null, null);
  }
}
