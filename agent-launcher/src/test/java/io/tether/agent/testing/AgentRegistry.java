package io.tether.agent.testing;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifecycle tests' registry, as a JUnit extension: a real registry per test class with the
 * service the agents serve (its health-check timing fast, so the tests are), and every agent a test
 * made through {@link #agent} killed after it, children and all.
 */
public final class AgentRegistry implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  private final List<AgentUnderTest> agents = new CopyOnWriteArrayList<>();
  private TestRegistry registry;

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    AgentUnderTest.createService(registry.admin());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (AgentUnderTest agent : agents) {
      agent.kill();
    }
    agents.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    registry.close();
  }

  /** An agent for task {@code taskId} against this registry, its files in {@code dir}; killed after the test. */
  public AgentUnderTest agent(Path dir, String taskId) {
    AgentUnderTest agent = new AgentUnderTest(dir, registry.baseUrl(), taskId);
    agents.add(agent);
    return agent;
  }

  public ApiClient admin() {
    return registry.admin();
  }

  public String baseUrl() {
    return registry.baseUrl();
  }
}
