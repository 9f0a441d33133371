package io.tether.registry.testing;

import io.tether.registry.etcd.LocalEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A real etcd for tests. {@link #shared()} is one server per test JVM; tests isolate themselves with
 * a unique key prefix ({@link #uniquePrefix}). Tests that kill or compact etcd start their own with
 * {@link #dedicated()}.
 */
public final class TestEtcd {
  private static LocalEtcd shared;

  private TestEtcd() {}

  public static synchronized LocalEtcd shared() {
    if (shared == null) {
      shared = dedicated();
    }
    return shared;
  }

  public static LocalEtcd dedicated() {
    return LocalEtcd.single(tempDir("etcd"), Ports.free(), Ports.free()).start().awaitHealthy(Duration.ofSeconds(20));
  }

  public static String uniquePrefix() {
    return "/tether-test-" + UUID.randomUUID() + "/";
  }

  /** A temp dir of this test JVM: see {@link TestChildren#tempDir}. */
  public static Path tempDir(String name) {
    return TestChildren.tempDir(name);
  }
}
