package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Route rules for stock grpc-java xDS clients (README "Routes"; the route is inline in the api_listener,
 * its header matchers in the fields grpc-java parses): grpc service {@code echo} sends method
 * {@code tether.test.Echo/Other} to service {@code echo-other} and calls with metadata {@code x-tenant: acme}
 * to {@code echo-acme}; every other call still reaches {@code echo}. Each backend answers its own name.
 */
class ProxylessRoutesTest {
  private static final int CALLS = 100;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static XdsClient client;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    mesh.service("a", "echo-other", 50052, "");
    mesh.service("a", "echo-acme", 50053, "");
    mesh.service("a", "echo", 50051, "\"routes\":["
        + "{\"name\":\"other\",\"match\":{\"path\":{\"exact\":\"/tether.test.Echo/Other\"}},"
        + "\"to\":[{\"service\":\"echo-other\"}],\"timeout\":{\"perRequestTimeoutSeconds\":5}},"
        + "{\"name\":\"acme\",\"match\":{\"headers\":[{\"name\":\"x-tenant\",\"exact\":\"acme\"}]},"
        + "\"to\":[{\"service\":\"echo-acme\"}]}]");
    for (String svc : new String[] {"echo", "echo-other", "echo-acme"}) {
      mesh.register("a", svc, mesh.backend(svc), "HEALTHY");
    }
    client = mesh.client("a", Mesh.AGENT_A);
    channel = client.channel("echo:50051");
    Poll.until(WAIT, () -> "echo-other".equals(tryCall(EchoBackend.OTHER, Map.of())),
        "a first Other call answered by echo-other");
  }

  @Test
  void aPathRuleSendsEveryCallToItsService() {
    assertThat(landings(EchoBackend.OTHER, Map.of())).containsExactly(Map.entry("echo-other", CALLS));
  }

  @Test
  void aHeaderRuleSendsEveryCallToItsService() {
    assertThat(landings(EchoBackend.CALL, Map.of("x-tenant", "acme"))).containsExactly(Map.entry("echo-acme", CALLS));
  }

  @Test
  void everyOtherCallStillReachesTheServiceItself() {
    assertThat(landings(EchoBackend.CALL, Map.of())).containsExactly(Map.entry("echo", CALLS));
    assertThat(landings(EchoBackend.CALL, Map.of("x-tenant", "other"))).containsExactly(Map.entry("echo", CALLS));
  }

  @Test
  void grpcJavaAcceptedTheRoutesWithoutANack() {
    tryCall(EchoBackend.CALL, Map.of());
    assertThat(mesh.proxyStream(client.nodeId).path("lastNacks").size()).as("NACKs of %s", client.nodeId).isZero();
  }

  private static String tryCall(MethodDescriptor<String, String> method, Map<String, String> metadata) {
    try {
      return XdsClient.call(channel, method, metadata, 5_000);
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  private static Map<String, Integer> landings(MethodDescriptor<String, String> method, Map<String, String> metadata) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < CALLS; i++) {
      counts.merge(tryCall(method, metadata), 1, Integer::sum);
    }
    System.out.println("[ProxylessRoutesTest] " + method.getFullMethodName() + " " + metadata + ": " + counts);
    return counts;
  }
}
