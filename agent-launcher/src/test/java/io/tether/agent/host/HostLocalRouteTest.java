package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.VipRange;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local route of the VIP range, with the real {@code ip}, in a network namespace of the test's own
 * (root only), so that the host's routes are never touched.
 */
class HostLocalRouteTest {
  private static final VipRange RANGE = VipRange.parse("100.127.0.0/16");
  private final String netns = "tether-route-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void makeNamespace() throws Exception {
    // Root is a prerequisite like the test hosts': missing, it fails the run unless TETHER_TESTS_WITHOUT_NETNS is set.
    Prerequisites.testHosts(new com.sun.security.auth.module.UnixSystem().getUid() == 0 ? Optional.empty()
        : Optional.of("network namespaces need root, and these tests run as uid " + new com.sun.security.auth.module.UnixSystem().getUid()));
    ip("netns", "add", netns);
  }

  @AfterEach
  void removeNamespace() throws Exception {
    if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
      ip("netns", "del", netns);
    }
  }

  private static void ip(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = TestChildren.start(new ProcessBuilder(command).redirectErrorStream(true));
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", command) + ": " + output).isTrue();
  }

  @Test
  void asRootTheRouteIsAddedAndAddingItAgainChangesNothing() throws Exception {
    LocalRoute route = new LocalRoute(List.of("ip", "-n", netns));
    assertThat(route.present(RANGE)).isFalse();

    route.ensure(RANGE);
    route.ensure(RANGE);

    assertThat(route.present(RANGE)).isTrue();
  }

  @Test
  void withoutPrivilegeAnExistingRouteIsAccepted() throws Exception {
    new LocalRoute(List.of("ip", "-n", netns)).ensure(RANGE);
    // Reading the routes needs no privilege; replacing them does. nsenter enters the namespace as root,
    // then setpriv drops to nobody for ip itself.
    LocalRoute unprivileged = new LocalRoute(List.of("nsenter", "--net=/run/netns/" + netns, "setpriv", "--reuid=65534",
        "--regid=65534", "--clear-groups", "ip"));

    unprivileged.ensure(RANGE);
  }

  @Test
  void withoutPrivilegeAMissingRouteStopsTheAgentWithTheCommandToAddIt() {
    LocalRoute unprivileged = new LocalRoute(List.of("nsenter", "--net=/run/netns/" + netns, "setpriv", "--reuid=65534",
        "--regid=65534", "--clear-groups", "ip"));

    assertThatThrownBy(() -> unprivileged.ensure(RANGE)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Operation not permitted")
        .hasMessageContaining("ExecStartPre=/usr/sbin/ip route replace local 100.127.0.0/16 dev lo");
  }

  @Test
  void theRegistrysOwnRangeNeedsNoRoute() throws Exception {
    LocalRoute route = new LocalRoute(List.of("ip", "-n", netns));

    route.ensure(VipRange.REGISTRY);

    assertThat(route.present(VipRange.REGISTRY)).isFalse();
  }
}
