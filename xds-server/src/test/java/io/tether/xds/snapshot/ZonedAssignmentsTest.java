package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.VipRange;
import io.tether.model.ZoneAware;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Zone-aware assignments are shared per (namespace, zone), not per group (README "Zone-aware routing"):
 * with 3 zones of 33 groups each and one group without a zone, one endpoint change of a zone-aware
 * service renders 4 ClusterLoadAssignments and publishes once to each group; a service that is not
 * zone-aware renders one, and keeps the version it has without zones.
 */
class ZonedAssignmentsTest extends PublisherFixture {
  private static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");
  private static final int GROUPS_PER_ZONE = 33;
  private final Map<String, List<GroupKey>> groupsByZone = new LinkedHashMap<>();
  private final GroupKey zoneless = caller("zoneless", null);

  @BeforeEach
  void start() throws Exception {
    view.load(Map.of("web", new String[] {}, "api", new String[] {}));
    view.putSpec("ns", zoneAware(Registry.httpSpec("web"), true));
    view.putZonedEndpoints("ns", "web", Map.of("10.0.0.1", "zone-a", "10.0.0.2", "zone-b", "10.0.0.3", "zone-c"));
    view.putZonedEndpoints("ns", "api", Map.of("10.0.1.1", "zone-a", "10.0.1.2", "zone-b"));
    publisher.start();
    for (String zone : ZONES) {
      for (int i = 0; i < GROUPS_PER_ZONE; i++) {
        GroupKey g = caller("caller-" + i, zone);
        groupsByZone.computeIfAbsent(zone, z -> new ArrayList<>()).add(g);
        connect(g);
      }
    }
    connect(zoneless);
    publisher.awaitIdle();
  }

  @Test
  void oneEndpointChangeOfAZoneAwareServiceRendersOncePerZoneAndOnceWithout() throws Exception {
    long renders = publisher.assignmentRenders();
    published.clear();
    view.putZonedEndpoints("ns", "web", Map.of("10.0.0.1", "zone-a", "10.0.0.4", "zone-a", "10.0.0.2", "zone-b",
        "10.0.0.3", "zone-c"));
    publisher.awaitIdle();
    assertThat(publisher.assignmentRenders() - renders).as("1 + 3 zones, whatever the group count").isEqualTo(4);
    assertThat(countByGroup()).as("one publish per group").hasSize(ZONES.size() * GROUPS_PER_ZONE + 1)
        .allSatisfy((g, n) -> assertThat(n).isEqualTo(1));
    for (String zone : ZONES) {
      for (GroupKey g : groupsByZone.get(zone)) {
        Map<String, Integer> p = priorities(cla(g, WEB));
        assertThat(p).as("%s", g).hasSize(3).containsEntry(zone, 0);
        assertThat(p.values()).as("%s", g).containsOnlyOnce(0).containsOnly(0, 1);
      }
    }
    assertThat(priorities(cla(zoneless, WEB)).values()).containsOnly(0);
  }

  @Test
  void aServiceThatIsNotZoneAwareRendersOnceAndKeepsItsZonelessVersion() throws Exception {
    long renders = publisher.assignmentRenders();
    published.clear();
    view.putZonedEndpoints("ns", "api", Map.of("10.0.1.1", "zone-a", "10.0.1.3", "zone-c"));
    publisher.awaitIdle();
    assertThat(publisher.assignmentRenders() - renders).isEqualTo(1);
    assertThat(countByGroup()).hasSize(ZONES.size() * GROUPS_PER_ZONE + 1);
    String version = versioned(zoneless, API).version();
    assertThat(version).isEqualTo(Versions.ofEndpoints(view.current().endpoints("ns", "api")));
    groupsByZone.values().forEach(gs -> gs.forEach(g -> assertThat(versioned(g, API).version()).isEqualTo(version)));
    assertThat(versioned(zoneless, WEB).version()).as("a zone-aware service, called without a zone")
        .isEqualTo(Versions.ofEndpoints(view.current().endpoints("ns", "web")));
  }

  @Test
  void turningZoneAwarenessOffGivesEveryZoneTheZonelessAssignmentAndTheNamespaceDefaultTurnsItOn() throws Exception {
    GroupKey a = groupsByZone.get("zone-a").get(0);
    view.putSpec("ns", zoneAware(Registry.httpSpec("web"), false));
    publisher.awaitIdle();
    assertThat(versioned(a, WEB).version()).isEqualTo(versioned(zoneless, WEB).version());
    assertThat(cla(a, WEB)).isEqualTo(cla(zoneless, WEB));

    view.putSpec("ns", Registry.httpSpec("web"));
    view.putNamespaceDefaults("ns", ServicePolicy.EMPTY.withZoneAware(new ZoneAware(true)));
    publisher.awaitIdle();
    assertThat(priorities(cla(a, WEB))).containsEntry("zone-a", 0).containsEntry("zone-b", 1);
    assertThat(priorities(cla(a, API))).as("api inherits it too").containsEntry("zone-a", 0).containsEntry("zone-b", 1);
    assertThat(priorities(cla(zoneless, API)).values()).containsOnly(0);

    view.putNamespaceDefaults("ns", ServicePolicy.EMPTY);
    publisher.awaitIdle();
    assertThat(versioned(a, API).version()).as("back to the zoneless version")
        .isEqualTo(Versions.ofEndpoints(view.current().endpoints("ns", "api")));
  }

  @Test
  void aZoneWithoutEndpointsGetsTheZonelessAssignmentAndServerOnlyGroupsStayOneGroup() throws Exception {
    GroupKey elsewhere = caller("caller-0", "zone-d");
    connect(elsewhere);
    publisher.awaitIdle();
    assertThat(versioned(elsewhere, WEB).version()).isEqualTo(versioned(zoneless, WEB).version());
    assertThat(cla(elsewhere, WEB)).isEqualTo(cla(zoneless, WEB));
    GroupKey serverOnly = new GroupKey("ns", ProxyKind.ENVOY, List.of(new ServedService("web", 15000, 8080)), true,
        null);
    assertThat(serverOnly.withZone("zone-a")).isEqualTo(serverOnly);
  }

  @Test
  void aGroupsGoneZoneIsNoLongerRendered() throws Exception {
    for (GroupKey g : groupsByZone.get("zone-c")) {
      cache.close(streamOf(g));
    }
    view.putNamespaceDefaults("ns", ServicePolicy.EMPTY); // an update prunes the groups gone
    publisher.awaitIdle();
    long renders = publisher.assignmentRenders();
    view.putZonedEndpoints("ns", "web", Map.of("10.0.0.1", "zone-a"));
    publisher.awaitIdle();
    assertThat(publisher.assignmentRenders() - renders).as("1 + zones a and b").isEqualTo(3);
  }

  private final Map<GroupKey, Long> streams = new HashMap<>();

  @Override
  long connect(GroupKey group) {
    long id = super.connect(group);
    streams.put(group, id);
    return id;
  }

  private long streamOf(GroupKey g) {
    return streams.get(g);
  }

  private static GroupKey caller(String identity, String zone) {
    return new GroupKey("ns", ProxyKind.ENVOY, List.of(), false, VipRange.REGISTRY, identity, false, zone);
  }

  private static ServiceSpec zoneAware(ServiceSpec spec, boolean on) {
    return spec.withPolicy(spec.policy().withZoneAware(new ZoneAware(on)));
  }

  private Map<GroupKey, Integer> countByGroup() {
    Map<GroupKey, Integer> out = new HashMap<>();
    published.forEach(g -> out.merge(g, 1, Integer::sum));
    return out;
  }

  private VersionedResource<?> versioned(GroupKey g, String cluster) {
    return served(g).of(ResourceType.ENDPOINT).resources().get(cluster);
  }

  private ClusterLoadAssignment cla(GroupKey g, String cluster) {
    return (ClusterLoadAssignment) versioned(g, cluster).resource();
  }

  private static Map<String, Integer> priorities(ClusterLoadAssignment cla) {
    Map<String, Integer> out = new TreeMap<>();
    for (LocalityLbEndpoints l : cla.getEndpointsList()) {
      out.put(l.getLocality().getZone(), l.getPriority());
    }
    return out;
  }
}
