package io.tether.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The authenticator over the static file's tokens and the managed ones (docs/security.md, "Tokens"). */
class ManagedTokenAuthenticationTest {
  private static final String STATIC = "static-admin-token-0123";

  /** The managed tokens as a map by digest: what TokenDirectory publishes, without etcd. */
  private record Known(Map<String, ManagedToken> byDigest) implements ManagedTokens {
    @Override
    public Optional<ManagedToken> byDigest(String sha256) {
      return Optional.ofNullable(byDigest.get(sha256));
    }

    @Override
    public void onInvalidated(Consumer<Set<String>> listener) {}
  }

  @Test
  void staticTokensFirstThenManagedOnesUntilTheyExpire() {
    String live = TokenAuthenticator.newManagedToken();
    String expired = TokenAuthenticator.newManagedToken();
    Instant now = Instant.now();
    ManagedToken agent = new ManagedToken("00000000000000a1", "prod-hosts", Role.AGENT, "prod",
        TokenAuthenticator.digest(live), now, now.plusSeconds(3600));
    ManagedToken old = new ManagedToken("00000000000000b2", "old", Role.READER, null,
        TokenAuthenticator.digest(expired), now.minusSeconds(60), now.minusSeconds(1));
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("ops", STATIC, Role.ADMIN, null)))
        .withManaged(new Known(Map.of(agent.sha256(), agent, old.sha256(), old)));

    assertThat(tokens.authenticate("Bearer " + STATIC)).get().isEqualTo(new Caller("ops", Role.ADMIN, null));
    assertThat(tokens.authenticate("Bearer " + live)).get()
        .isEqualTo(new Caller("prod-hosts", Role.AGENT, "prod", "00000000000000a1"));
    assertThat(tokens.authenticate("Bearer " + expired)).as("expired").isEmpty();
    assertThat(tokens.authenticate("Bearer " + TokenAuthenticator.newManagedToken())).as("unknown").isEmpty();
    assertThat(live).startsWith("tether_").hasSize("tether_".length() + 43);
    assertThat(agent.toString()).doesNotContain(agent.sha256());
  }
}
