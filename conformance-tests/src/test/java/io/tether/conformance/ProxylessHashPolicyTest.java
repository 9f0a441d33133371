package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stock grpc-java xDS client hashes a RING_HASH service's calls on the header its hashOn names. */
class ProxylessHashPolicyTest {
  private static final Metadata.Key<String> USER = Metadata.Key.of("x-user-id", Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    mesh.service("a", "sticky", 8090, "\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user-id\"}");
    for (String name : List.of("h1", "h2", "h3")) {
      mesh.register("a", "sticky", mesh.backend(name), "HEALTHY");
    }
    channel = mesh.client("a", Mesh.AGENT_A).channel("sticky:8090");
    // The ring holds all three endpoints once forty users between them reach all three.
    List<String> users = IntStream.range(100, 140).mapToObj(i -> "user-" + i).toList();
    Poll.until(Duration.ofSeconds(20), () -> landings(users).keySet().equals(Set.of("h1", "h2", "h3")),
        "calls reach h1, h2 and h3 and nothing fails");
  }

  @Test
  void oneHeaderValueAlwaysReachesOneBackend() {
    Map<String, Integer> counts = landings(IntStream.range(0, 30).mapToObj(i -> "user-42").toList());
    System.out.println("[ProxylessHashPolicyTest] 30 calls as user-42: " + counts);
    assertThat(counts).hasSize(1).containsValue(30);
  }

  @Test
  void differentHeaderValuesReachSeveralBackends() {
    Map<String, Integer> counts = landings(IntStream.range(0, 10).mapToObj(i -> "user-" + i).toList());
    System.out.println("[ProxylessHashPolicyTest] 10 users: " + counts);
    assertThat(counts.size()).as("backends reached").isGreaterThanOrEqualTo(2);
  }

  /** One call per user id with its x-user-id header: how many each backend answered (or failed, by status code). */
  private static Map<String, Integer> landings(List<String> userIds) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String user : userIds) {
      Metadata headers = new Metadata();
      headers.put(USER, user);
      Channel asUser = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
      counts.merge(XdsClient.tryCall(asUser, 5_000), 1, Integer::sum);
    }
    return counts;
  }
}
