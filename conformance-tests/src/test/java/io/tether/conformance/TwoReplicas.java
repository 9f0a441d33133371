package io.tether.conformance;

import io.tether.main.TetherServer;
import io.tether.registry.testing.ApiClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two replicas on one etcd for a test class: {@link #mesh} ("replica-1", with its backends and clients)
 * and {@link #second} ("replica-2"), started before the class's first test, closed after its last.
 * Register it as a static field: {@code @RegisterExtension static final TwoReplicas replicas = new TwoReplicas();}.
 */
final class TwoReplicas implements BeforeAllCallback, AfterAllCallback {
  private Mesh mesh;
  private TetherServer second;

  @Override
  public void beforeAll(ExtensionContext context) {
    mesh = new Mesh();
    second = Mesh.startReplica(mesh.etcdUrl, mesh.prefix, 0, "replica-2");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (second != null) {
      second.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  Mesh mesh() {
    return mesh;
  }

  TetherServer second() {
    return second;
  }

  /** An admin client of replica 2's API. */
  ApiClient secondApi() {
    return new ApiClient("http://127.0.0.1:" + second.registry().apiPort(), Mesh.ADMIN);
  }
}
