package io.tether.registry.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.model.Authorization;
import io.tether.model.AuthorizationAction;
import io.tether.model.json.Json;
import io.tether.registry.store.KeyLayout;
import org.junit.jupiter.api.Test;

/**
 * The view's authorization rules (docs/security.md "Authorization"): by name and by the service they
 * protect, re-indexed when a rule's {@code to} moves, and each change naming the callees it touches, from
 * events and from a re-list's diff alike.
 */
class AuthorizationViewTest {
  private final KeyLayout keys = new KeyLayout(KeyLayout.DEFAULT_PREFIX);

  private RegistryState apply(RegistryState base, StateMutation m, String name, Authorization rule, long revision) {
    m.apply(keys.parse(keys.authorization("prod", name)), rule == null ? null : Json.write(rule), revision);
    return m.result(revision);
  }

  @Test
  void aRuleIsIndexedByItsCalleeAndMovesWithIt() {
    StateMutation put = new StateMutation(RegistryState.EMPTY);
    RegistryState one = apply(RegistryState.EMPTY, put, "r", rule("web"), 2);
    assertThat(one.authorizations("prod").to("web")).containsOnlyKeys("r");
    assertThat(one.authorization("prod", "r").orElseThrow().modRevision()).isEqualTo(2);
    assertThat(put.changes()).containsExactly(new RegistryChange.AuthorizationChanged("prod", "r", java.util.Set.of("web")));

    StateMutation move = new StateMutation(one);
    RegistryState moved = apply(one, move, "r", rule("api"), 3);
    assertThat(moved.authorizations("prod").to("web")).isEmpty();
    assertThat(moved.authorizations("prod").byTo()).containsOnlyKeys("api");
    assertThat(move.changes()).containsExactly(
        new RegistryChange.AuthorizationChanged("prod", "r", java.util.Set.of("web", "api")));
    assertThat(StateDiff.between(one, moved)).containsExactly(
        new RegistryChange.AuthorizationChanged("prod", "r", java.util.Set.of("web", "api")));

    StateMutation delete = new StateMutation(moved);
    RegistryState gone = apply(moved, delete, "r", null, 4);
    assertThat(gone.authorizations("prod").byName()).isEmpty();
    assertThat(gone.authorizations("prod").byTo()).isEmpty();
    assertThat(gone.namespaces()).as("a namespace entry of nothing is dropped").isEmpty();
    assertThat(delete.changes()).containsExactly(
        new RegistryChange.AuthorizationChanged("prod", "r", java.util.Set.of("api")));
  }

  private static Authorization rule(String to) {
    return new Authorization("r", "*", to, AuthorizationAction.DENY, null);
  }
}
