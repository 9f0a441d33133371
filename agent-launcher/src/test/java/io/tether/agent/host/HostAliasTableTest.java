package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.hosts.HostsFile;
import io.tether.agent.registry.RegistryClient;
import io.tether.model.VipRange;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live alias table against a real registry: re-based VIPs, in the hosts file (in place) and for the DNS server. */
class HostAliasTableTest {
  private static final VipRange RANGE = VipRange.parse("100.127.0.0/16");
  private static HostControlPlane cp;

  @BeforeAll
  static void start() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }


  @Test
  void aliasesAreServedInTheHostsRangeAndFollowTheRegistry() throws Exception {
    Path hosts = Files.writeString(TestEtcd.tempDir("alias-table").resolve("hosts"), "127.0.0.1\tlocalhost\n");
    Object inode = Files.getAttribute(hosts, "unix:ino");
    RegistryClient registry = new RegistryClient(URI.create(cp.restUrl()), HostControlPlane.TOKEN);
    String web = RANGE.rebase(cp.vip("web"));
    assertThat(web).startsWith("100.127.");

    try (AliasTable table = AliasTable.start(registry, "a", RANGE, HostsFile.rewrittenInPlace(hosts), Duration.ofMillis(100))) {
      assertThat(table.get()).containsEntry("web", web);
      assertThat(new HostsFile(hosts).entries()).isEqualTo(table.get());

      cp.service("late", Ports.free());
      String late = RANGE.rebase(cp.vip("late"));

      Poll.until(Duration.ofSeconds(10), () -> late.equals(table.get().get("late")), "a new alias is served");
      Poll.until(Duration.ofSeconds(10), () -> entries(hosts).containsKey("late"), "a new alias is in the hosts file");
      assertThat(Files.getAttribute(hosts, "unix:ino")).as("rewritten in place").isEqualTo(inode);
    }
    assertThat(Files.readString(hosts)).as("the block is gone on close").isEqualTo("127.0.0.1\tlocalhost\n");
  }

  @Test
  void anUnreachableRegistryAtStartLeavesTheTableEmptyAndDoesNotFail() throws Exception {
    RegistryClient nowhere = new RegistryClient(URI.create("http://127.0.0.1:" + Ports.free()), HostControlPlane.TOKEN,
        new RegistryClient.Options(Duration.ofMillis(500), 1, Duration.ofMillis(10), Duration.ofMillis(10)));

    try (AliasTable table = AliasTable.start(nowhere, "a", RANGE, null, Duration.ofMillis(100))) {
      assertThat(table.get()).isEmpty();
    }
  }

  private static Map<String, String> entries(Path hosts) {
    try {
      return new HostsFile(hosts).entries();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
