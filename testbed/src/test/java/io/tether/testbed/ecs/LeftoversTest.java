package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing of an emulated instance outlives it: no container process, network namespace, veth, bridge, NAT
 * rule or address, whether the stand-in shuts down or is SIGKILLed (then the next stand-in of the host, or
 * {@link EmulatedEcs#close}, removes what it left).
 */
class LeftoversTest {
  private EcsHosts hosts;

  @BeforeEach
  void setUp() {
    hosts = new EcsHosts("leftovers", Map.of(), EmulatedEcs.Options.defaults());
  }

  @AfterEach
  void tearDown() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void aStandInThatShutsDownLeavesNothing() {
    List<Long> pids = runTasks(hosts.ecs);
    long standIn = hosts.ecs.pid();
    assertThat(Leftovers.namespacesOf(standIn)).hasSize(2);
    hosts.ecs.close();
    assertNothingLeft(standIn, pids);
  }

  @Test
  void aKilledStandInsLeftoversAreRemovedByTheNextStandInOfTheHost() {
    List<Long> pids = runTasks(hosts.ecs);
    long killed = hosts.ecs.pid();
    hosts.ecs.killStandIn();
    Poll.until(Duration.ofSeconds(10), () -> pids.stream().noneMatch(LeftoversTest::alive), "the containers died with the stand-in");
    assertThat(Leftovers.namespacesOf(killed)).as("left behind").hasSize(2);
    assertThat(natRules()).contains("TETHER-DOCKER");

    EmulatedEcs next = EmulatedEcs.start(hosts.net, hosts.e1(), hosts.images, Map.of(),
        EmulatedEcs.Options.defaults().withWorkDir(hosts.dir.resolve("next")));
    try {
      assertThat(Leftovers.namespacesOf(killed)).as("removed by the next start").isEmpty();
      assertThat(natRules().split("\n")).filteredOn(l -> l.contains("--dport")).as("no stale port mapping").isEmpty();
      String id = next.runTask(Defs.task("again", "bridge", Defs.port(Defs.bash("c", EcsHosts.IDLE), 80, 0)));
      next.awaitTask(id, t -> t.path("lastStatus").asText().equals("RUNNING"), Duration.ofSeconds(30), "RUNNING");
    } finally {
      next.close();
    }
    assertNothingLeft(next.pid(), List.of());
  }

  @Test
  void aKilledStandInsLeftoversAreRemovedByClose() {
    List<Long> pids = runTasks(hosts.ecs);
    long killed = hosts.ecs.pid();
    hosts.ecs.killStandIn();
    hosts.ecs.close();
    assertNothingLeft(killed, pids);
  }

  @Test
  void theInstancesOfTwoHostsAreIndependent() {
    EmulatedEcs other = EmulatedEcs.start(hosts.net, hosts.e2(), hosts.images, Map.of(),
        EmulatedEcs.Options.defaults().withWorkDir(hosts.dir.resolve("e2")));
    try {
      List<Long> onE1 = runTasks(hosts.ecs);
      List<Long> onE2 = runTasks(other);
      JsonNode e1Tasks = hosts.ecs.introspection("/v1/tasks").json();
      assertThat(e1Tasks.path("Tasks")).as("each instance lists its own tasks").hasSize(2);
      other.killStandIn();
      Poll.until(Duration.ofSeconds(10), () -> onE2.stream().noneMatch(LeftoversTest::alive), "e2's containers died");
      assertThat(onE1).as("e1's containers live on").allMatch(LeftoversTest::alive);
    } finally {
      other.close();
    }
    assertThat(Leftovers.namespacesOf(other.pid())).isEmpty();
  }

  /** A bridge task with a port mapping and a host-mode task; the containers' PID 1s. */
  private List<Long> runTasks(EmulatedEcs ecs) {
    List<Long> pids = new ArrayList<>();
    String bridge = ecs.runTask(Defs.task("b", "bridge", Defs.port(Defs.bash("b1", EcsHosts.IDLE), 80, 0),
        Defs.bash("b2", "sleep infinity")));
    String host = ecs.runTask(Defs.task("h", "host", Defs.bash("h1", EcsHosts.IDLE)));
    for (String id : List.of(bridge, host)) {
      JsonNode t = ecs.awaitTask(id, v -> v.path("lastStatus").asText().equals("RUNNING"), Duration.ofSeconds(30), "RUNNING");
      t.path("containers").forEach(c -> pids.add(c.path("pid").asLong()));
    }
    assertThat(pids).allMatch(LeftoversTest::alive);
    return pids;
  }

  private void assertNothingLeft(long standIn, List<Long> pids) {
    assertThat(alive(standIn)).as("the stand-in").isFalse();
    // The kernel kills a dead parent's bound children at once, but asynchronously to this check.
    Poll.until(Duration.ofSeconds(5), () -> pids.stream().noneMatch(LeftoversTest::alive), "container processes gone");
    assertThat(Leftovers.namespacesOf(standIn)).as("container namespaces").isEmpty();
    try (var etc = Files.list(Path.of("/etc/netns"))) {
      assertThat(etc.map(p -> p.getFileName().toString())).as("/etc/netns").noneMatch(n -> n.startsWith("tether-" + standIn + "-"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Commands inHost = Commands.inNetns(hosts.e1().netns());
    assertThat(inHost.run(Commands.IP, "-o", "link", "show")).as("links of e1").doesNotContain(BridgeNetwork.BRIDGE, " tve");
    assertThat(natRules()).as("NAT rules of e1").doesNotContain("TETHER", "DNAT", "MASQUERADE");
    assertThat(inHost.run(Commands.IP, "-o", "addr", "show", "dev", "lo")).doesNotContain(TaskMetadataServer.ADDRESS);
    assertThat(hosts.net.pids(hosts.e1())).as("processes in e1").isEmpty();
    assertThat(Leftovers.RUN_DIR.resolve(hosts.e1().netns() + ".pid")).doesNotExist();
  }

  private String natRules() {
    return Commands.inNetns(hosts.e1().netns()).run(Commands.IPTABLES, "-t", "nat", "-S");
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
