package io.tether.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One task's registration against the real registry: lease, keepalive, health, re-registration, stop. */
class RegistrationTest {
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static TestRegistry registry;
  private static ApiClient admin;
  private static RegistryClient agent;

  private final List<Registration> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = registry.admin();
    admin.put("/v1/namespaces/a", "{}").expect(201);
    admin.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":"
        + "[{\"dnsName\":\"web\",\"port\":80}]}").expect(201);
    agent = new RegistryClient(URI.create(registry.baseUrl()), TestRegistry.AGENT_A);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void stopRegistrations() {
    started.forEach(Registration::stop);
  }

  private Registration register(String id) {
    Registration r = new Registration(agent, "a", "web", id, new Endpoint("10.0.3.7", 15000, "onprem-a", null,
        "task-" + id, "host-1", Map.of("app", "web"), null), TTL);
    started.add(r);
    return r.start();
  }

  private static ApiClient.Response endpoint(String id) {
    return admin.get("/v1/namespaces/a/services/web/endpoints/" + id);
  }

  @Test
  void startRegistersUnderALeaseThatKeepalivesHoldPastItsTtl() {
    Registration registration = register("keep");
    // A control: an endpoint under a lease of the same TTL that nobody keeps alive.
    RegistryClient.Lease unkept = agent.grantLease("a", TTL.toSeconds());
    agent.registerEndpoint("a", "web", "unkept", new Endpoint("10.0.3.9", 15000, null, null, null, null, null,
        unkept.id()));

    JsonNode stored = endpoint("keep").expect(200).body();
    assertThat(stored.path("leaseId").asLong()).isEqualTo(registration.leaseId()).isPositive();
    assertThat(stored.path("health").asText()).isEqualTo("HEALTHY");
    assertThat(stored.path("address").asText()).isEqualTo("10.0.3.7");
    assertThat(stored.path("metadata").path("app").asText()).isEqualTo("web");

    long since = System.nanoTime();
    AtomicInteger absences = new AtomicInteger();
    Poll.until(WAIT, () -> {
      if (endpoint("keep").status() != 200) {
        absences.incrementAndGet();
      }
      return endpoint("unkept").status() == 404 && System.nanoTime() - since > TTL.multipliedBy(5).dividedBy(2).toNanos();
    }, "the unkept endpoint expires and 2.5 TTLs pass");

    assertThat(absences).hasValue(0);
    assertThat(registration.reRegistrations()).isZero();
  }

  @Test
  void stopDeregistersAndRevokesTheLease() {
    Registration registration = register("stopped");
    long lease = registration.leaseId();

    registration.stop();

    endpoint("stopped").expect(404);
    assertThat(admin.post("/v1/leases/" + lease + "/keepalive", null).status()).isEqualTo(404);
    assertThat(registration.leaseId()).isZero();
    registration.stop(); // idempotent
    assertThatThrownBy(() -> registration.setHealth(Health.HEALTHY)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLeaseRevokedBehindItsBackIsReplacedAndTheEndpointComesBackWithItsHealth() {
    Registration registration = register("revoked");
    registration.setHealth(Health.UNHEALTHY);
    long first = registration.leaseId();

    admin.delete("/v1/leases/" + first).expect(204);
    endpoint("revoked").expect(404);

    Poll.until(WAIT, () -> endpoint("revoked").status() == 200, "the endpoint is registered again");
    JsonNode stored = endpoint("revoked").expect(200).body();
    assertThat(stored.path("leaseId").asLong()).isNotEqualTo(first).isEqualTo(registration.leaseId());
    assertThat(stored.path("health").asText()).isEqualTo("UNHEALTHY");
    assertThat(stored.path("metadata").path("app").asText()).isEqualTo("web");
    assertThat(registration.reRegistrations()).isEqualTo(1);
    assertThat(admin.post("/v1/leases/" + registration.leaseId() + "/keepalive", null).status()).isEqualTo(200);
  }

  @Test
  void healthUpdatesReachTheRegistryUnderTheSameLease() {
    Registration registration = register("health");
    long lease = registration.leaseId();

    registration.setHealth(Health.UNHEALTHY);
    assertThat(endpoint("health").expect(200).body().path("health").asText()).isEqualTo("UNHEALTHY");
    registration.setHealth(Health.HEALTHY);
    assertThat(endpoint("health").expect(200).body().path("health").asText()).isEqualTo("HEALTHY");

    assertThat(endpoint("health").body().path("leaseId").asLong()).isEqualTo(lease);
    assertThat(registration.health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void drainingIsFinalNoLaterHealthReplacesItAndALostLeaseIsNotReplaced() {
    Registration registration = register("draining");
    registration.setHealth(Health.DRAINING);

    registration.setHealth(Health.UNHEALTHY); // a health check that was still under way
    registration.setHealth(Health.HEALTHY);
    assertThat(endpoint("draining").expect(200).body().path("health").asText()).isEqualTo("DRAINING");

    admin.delete("/v1/leases/" + registration.leaseId()).expect(204);
    endpoint("draining").expect(404);
    // The keepalive that finds the lease gone forgets it, and decides there and then not to register again.
    Poll.until(WAIT, () -> registration.leaseId() == 0, "a keepalive finds the lease gone");
    endpoint("draining").expect(404);
    assertThat(registration.reRegistrations()).as("a stopping task is not registered again").isZero();
    assertThat(registration.health()).isEqualTo(Health.DRAINING);
  }

  @Test
  void anEndpointDeletedBehindItsBackIsBackWithinAKeepaliveWithItsAddressAndHealth() {
    Registration registration = register("deleted");
    registration.setHealth(Health.UNHEALTHY);
    long lease = registration.leaseId();
    // TTL 2 s: a keepalive every 666 ms (TTL/3), each followed by a GET of the endpoint.
    Duration withinOneKeepalive = TTL.dividedBy(3).plusSeconds(2);

    admin.delete("/v1/namespaces/a/services/web/endpoints/deleted").expect(204);
    long deleted = System.nanoTime();
    Poll.until(withinOneKeepalive, () -> endpoint("deleted").status() == 200, "registered again by the next keepalive");
    System.out.printf("[RegistrationTest] a deleted endpoint was back %d ms later (keepalive every %d ms)%n",
        (System.nanoTime() - deleted) / 1_000_000, TTL.toMillis() / 3);

    JsonNode stored = endpoint("deleted").expect(200).body();
    assertThat(stored.path("address").asText()).isEqualTo("10.0.3.7");
    assertThat(stored.path("port").asInt()).isEqualTo(15000);
    assertThat(stored.path("health").asText()).as("the health it had").isEqualTo("UNHEALTHY");
    assertThat(stored.path("leaseId").asLong()).as("its lease was not touched").isEqualTo(lease);
    assertThat(registration.reRegistrations()).isEqualTo(1);
  }

  @Test
  void anEndpointDeletedWhileItDrainsStaysDeletedAndSoDoesOneDeletedAfterStop() {
    // A long TTL (a keepalive every 20 s): the DRAINING below meets the deleted endpoint before any keepalive.
    Registration registration = new Registration(agent, "a", "web", "stopping", new Endpoint("10.0.3.7", 15000,
        null, null, null, null, null, null), Duration.ofSeconds(60));
    started.add(registration);
    registration.start();
    admin.delete("/v1/namespaces/a/services/web/endpoints/stopping").expect(204);

    assertThat(registration.setHealth(Health.DRAINING)).isTrue();

    endpoint("stopping").expect(404);
    assertThat(registration.reRegistrations()).as("not registered again to be drained").isZero();
    assertThat(registration.confirmedHealth()).isNull();
    long lease = registration.leaseId();
    registration.stop();
    endpoint("stopping").expect(404);
    assertThat(admin.post("/v1/leases/" + lease + "/keepalive", null).status()).as("its lease revoked").isEqualTo(404);
  }

  @Test
  void anEndpointDeletedBehindItsBackIsRegisteredAgainByTheNextHealthUpdate() {
    Registration registration = new Registration(agent, "a", "web", "updated", new Endpoint("10.0.3.7", 15000,
        null, null, null, null, null, null), Duration.ofSeconds(60)); // no keepalive comes first
    started.add(registration);
    registration.start();
    admin.delete("/v1/namespaces/a/services/web/endpoints/updated").expect(204);

    registration.setHealth(Health.UNHEALTHY);

    JsonNode stored = endpoint("updated").expect(200).body();
    assertThat(stored.path("health").asText()).isEqualTo("UNHEALTHY");
    assertThat(stored.path("leaseId").asLong()).isEqualTo(registration.leaseId());
    assertThat(registration.reRegistrations()).isEqualTo(1);
  }

  @Test
  void aDrainingTheRegistryDidNotTakeIsSentAgainAtTheKeepalivesUntilItDoes() throws Exception {
    try (RegistryGate gate = new RegistryGate(URI.create(registry.baseUrl()))) {
      RegistryClient gated = new RegistryClient(gate.base(), TestRegistry.AGENT_A,
          new RegistryClient.Options(Duration.ofSeconds(2), 2, Duration.ofMillis(10), Duration.ofMillis(20)));
      Registration registration = new Registration(gated, "a", "web", "unconfirmed", new Endpoint("10.0.3.7", 15000,
          "onprem-a", null, "task-unconfirmed", "host-1", Map.of(), null), TTL);
      started.add(registration);
      registration.start();
      assertThat(registration.confirmedHealth()).isEqualTo(Health.HEALTHY);

      gate.refuse(e -> e.getRequestMethod().equals("PUT") && e.getRequestURI().getPath().endsWith("/health"));
      assertThatThrownBy(() -> registration.setHealth(Health.DRAINING)).isInstanceOf(RegistryUnavailableException.class);
      assertThat(registration.health()).as("wanted").isEqualTo(Health.DRAINING);
      assertThat(registration.confirmedHealth()).as("confirmed").isEqualTo(Health.HEALTHY);
      int refusedFirst = gate.refused();
      Poll.until(WAIT, () -> gate.refused() > refusedFirst, "a keepalive sends the DRAINING again");
      assertThat(endpoint("unconfirmed").expect(200).body().path("health").asText())
          .as("the registry still has it HEALTHY while refusing").isEqualTo("HEALTHY");

      gate.open();
      Poll.until(WAIT, () -> "DRAINING".equals(endpoint("unconfirmed").body().path("health").asText()),
          "the endpoint becomes DRAINING once the registry answers again");
      Poll.until(WAIT, () -> registration.confirmedHealth() == Health.DRAINING, "and the registration knows it");
      assertThat(registration.reRegistrations()).as("under the same lease, no re-registration").isZero();
      assertThat(endpoint("unconfirmed").body().path("leaseId").asLong()).isEqualTo(registration.leaseId());
    }
  }

  @Test
  void startFailsWithTheRegistrysReasonWhenTheServiceDoesNotExist() {
    Registration registration = new Registration(agent, "a", "no-such-service", "t1",
        new Endpoint("10.0.3.7", 15000, null, null, null, null, null, null), TTL);
    started.add(registration);

    assertThatThrownBy(registration::start).isInstanceOfSatisfying(RegistryCallException.class, e -> {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.getMessage()).contains("no-such-service");
    });
    assertThat(registration.leaseId()).as("the lease granted for it was revoked").isZero();
  }
}
