package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sidecar in a namespace that has no services yet (the first task of a new namespace, a client-only
 * task started before its callees) is ready at once: its wildcard CDS and LDS subscriptions are
 * answered, empty. Without that answer Envoy waits out its initial fetch timeout, 15 s per type.
 */
class EnvoyEmptyNamespaceTest {
  private static final long READY_WITHIN_MS = 5_000;
  private static Mesh mesh;

  @BeforeAll
  static void start() {
    Prerequisites.envoy();
    mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DELTA_GRPC", "GRPC"})
  void aSidecarInANamespaceWithoutServicesIsReadyAtOnce(String apiType) throws Exception {
    Path dir = TestEtcd.tempDir("envoy-empty");
    long start = System.nanoTime();
    try (EnvoyProxy envoy = EnvoyProxy.start(mesh, dir, apiType)) {
      long readyMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(readyMs).as("ms to /ready over %s; envoy log:%n%s", apiType, envoy.tail()).isLessThan(READY_WITHIN_MS);
      assertThat(envoy.stat("cluster_manager.cds.update_success")).as("CDS answered").isPositive();
      assertThat(envoy.stat("listener_manager.lds.update_success")).as("LDS answered").isPositive();
    }
  }
}
