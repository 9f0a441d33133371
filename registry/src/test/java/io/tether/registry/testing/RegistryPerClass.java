package io.tether.registry.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestRegistry} on the shared etcd for a test class, under a prefix of its own: started before
 * the class's first test, closed after its last. Register it as a static field:
 * {@code @RegisterExtension static final RegistryPerClass registry = new RegistryPerClass();}, then
 * {@code registry.api()} is an admin client.
 */
public final class RegistryPerClass implements BeforeAllCallback, AfterAllCallback {
  private TestRegistry registry;
  private ApiClient admin;

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = registry.admin();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (registry != null) {
      registry.close();
    }
  }

  public TestRegistry testRegistry() {
    return registry;
  }

  /** A client with the admin token. */
  public ApiClient api() {
    return admin;
  }
}
