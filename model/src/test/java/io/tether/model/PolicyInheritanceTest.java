package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyInheritanceTest {
  private static ServiceSpec spec(AppProtocol protocol, Timeout timeout, RetryPolicy retry) {
    return new ServiceSpec("payments", "http", protocol, List.of(), null,
        new ServicePolicy(timeout, retry, null, null, null, null));
  }

  @Test
  void unsetPolicyIsServiceConnectDefault() {
    ServicePolicy p = spec(AppProtocol.HTTP, null, null).effectivePolicy(null);
    assertThat(p.timeout()).isEqualTo(new Timeout(300, 15));
    assertThat(p.retryPolicy().numRetries()).isEqualTo(2);
    assertThat(p.retryPolicy().retryOn()).containsExactly("connect-failure", "refused-stream", "unavailable", "503");
    assertThat(p.outlierDetection()).isEqualTo(new OutlierDetection(5, 10_000, 30_000, 10));
    assertThat(p.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
  }

  @Test
  void tcpServicesDefaultToAnHourOfIdleTimeAndATcpHealthCheck() {
    ServicePolicy p = spec(null, null, null).effectivePolicy(null);
    assertThat(p.timeout().idleTimeoutSeconds()).isEqualTo(3600);
    assertThat(p.healthCheck().protocol()).isEqualTo("tcp");
  }

  @Test
  void grpcServicesAreCheckedWithTheGrpcHealthService() {
    assertThat(spec(AppProtocol.GRPC, null, null).effectivePolicy(null).healthCheck().protocol()).isEqualTo("grpc");
    assertThat(spec(AppProtocol.HTTP2, null, null).effectivePolicy(null).healthCheck().protocol()).isEqualTo("http");
  }

  @Test
  void serviceValueBeatsNamespaceDefaultFieldByField() {
    Namespace ns = new Namespace("prod", null, new ServicePolicy(new Timeout(60, 3),
        new RetryPolicy(4, List.of("5xx"), 250), null, null, LoadBalancing.LEAST_REQUEST, null));
    ServicePolicy p = spec(AppProtocol.HTTP, new Timeout(null, 9), null).effectivePolicy(ns);
    assertThat(p.timeout()).as("per-request from the service, idle from the namespace").isEqualTo(new Timeout(60, 9));
    assertThat(p.retryPolicy()).isEqualTo(new RetryPolicy(4, List.of("5xx"), 250));
    assertThat(p.loadBalancing()).isEqualTo(LoadBalancing.LEAST_REQUEST);
    assertThat(p.circuitBreakers()).as("neither sets it: Service Connect's").isEqualTo(new CircuitBreakers(1024, 1024, 1024, 3));
  }

  @Test
  void zeroIsAValueNotAnAbsence() {
    ServicePolicy p = spec(AppProtocol.HTTP, new Timeout(0, 0), new RetryPolicy(0, null, null)).effectivePolicy(null);
    assertThat(p.timeout()).isEqualTo(new Timeout(0, 0));
    assertThat(p.retryPolicy().numRetries()).isZero();
  }

  @Test
  void nestedPoliciesMergeFieldByFieldServiceThenNamespaceThenServiceConnect() {
    Namespace ns = new Namespace("prod", null, new ServicePolicy(null, null, new OutlierDetection(null, 5_000, null, null),
        new CircuitBreakers(100, null, null, null), null, new HealthCheck(null, "/health", null, null, null, null)));
    ServicePolicy own = new ServicePolicy(null, null, new OutlierDetection(3, null, null, null),
        new CircuitBreakers(null, 50, null, null), null, new HealthCheck(null, null, 1, null, null, null));
    ServicePolicy p = new ServiceSpec("payments", "http", AppProtocol.HTTP, List.of(), null, own).effectivePolicy(ns);
    assertThat(p.outlierDetection()).isEqualTo(new OutlierDetection(3, 5_000, 30_000, 10));
    assertThat(p.circuitBreakers()).isEqualTo(new CircuitBreakers(100, 50, 1024, 3));
    assertThat(p.healthCheck()).isEqualTo(new HealthCheck("http", "/health", 1, 2, 2, 3));
  }

  @Test
  void aServicesOwnNestedPolicyIsKeptWhereTheNamespaceSetsNone() {
    ServicePolicy own = new ServicePolicy(null, null, new OutlierDetection(3, null, null, null),
        new CircuitBreakers(10, null, null, null), null, new HealthCheck("tcp", null, null, null, null, null));
    Namespace ns = new Namespace("prod", null, new ServicePolicy(new Timeout(60, null), null, null, null, null, null));
    ServicePolicy p = new ServiceSpec("payments", "http", AppProtocol.HTTP, List.of(), null, own).effectivePolicy(ns);
    assertThat(p.outlierDetection()).isEqualTo(new OutlierDetection(3, 10_000, 30_000, 10));
    assertThat(p.circuitBreakers()).isEqualTo(new CircuitBreakers(10, 1024, 1024, 3));
    assertThat(p.healthCheck()).isEqualTo(new HealthCheck("tcp", "/healthz", 5, 2, 2, 3));
    assertThat(own.orElse(null)).as("no fallback at all: the policy as it is").isSameAs(own);
  }

  @Test
  void aServiceResolvedWithItsEffectivePolicyKeepsItsNames() {
    ServiceSpec spec = new ServiceSpec("payments", "http", AppProtocol.GRPC, List.of(new ClientAlias("payments", 8080)),
        9000, ServicePolicy.EMPTY);
    ServiceSpec resolved = spec.withPolicy(spec.effectivePolicy(null));
    assertThat(resolved.policy()).isEqualTo(Policies.serviceConnectDefaults(AppProtocol.GRPC));
    assertThat(resolved.withPolicy(ServicePolicy.EMPTY)).isEqualTo(spec);
  }

  private static ServiceSpec hashing(AppProtocol protocol, LoadBalancing lb, HashOn hashOn) {
    return new ServiceSpec("payments", "http", protocol, List.of(), null,
        new ServicePolicy(null, null, null, null, lb, hashOn, null));
  }

  private static Namespace hashingDefaults(HashOn hashOn) {
    return new Namespace("prod", null,
        new ServicePolicy(null, null, null, null, LoadBalancing.RING_HASH, hashOn, null));
  }

  @Test
  void noHashKeyByDefaultEvenForHashingPolicies() {
    assertThat(hashing(AppProtocol.HTTP, LoadBalancing.RING_HASH, null).effectivePolicy(null).hashOn()).isNull();
  }

  @Test
  void aHashingServiceInheritsTheNamespacesHashKeyWholeAndItsOwnWinsWhole() {
    Namespace ns = hashingDefaults(new HashOn("x-user-id", null, null));
    assertThat(hashing(AppProtocol.HTTP, LoadBalancing.MAGLEV, null).effectivePolicy(ns).hashOn())
        .isEqualTo(new HashOn("x-user-id", null, null));
    assertThat(hashing(AppProtocol.HTTP, null, null).effectivePolicy(ns).loadBalancing())
        .isEqualTo(LoadBalancing.RING_HASH);
    assertThat(hashing(AppProtocol.HTTP, LoadBalancing.RING_HASH, new HashOn(null, "session", null))
        .effectivePolicy(ns).hashOn()).as("not merged into header and cookie").isEqualTo(new HashOn(null, "session", null));
  }

  @Test
  void anInheritedHashKeyTheServiceCannotUseIsDropped() {
    Namespace ns = hashingDefaults(new HashOn("x-user-id", null, null));
    assertThat(hashing(AppProtocol.HTTP, LoadBalancing.ROUND_ROBIN, null).effectivePolicy(ns).hashOn())
        .as("the service balances without hashing").isNull();
    assertThat(hashing(AppProtocol.HTTP, LoadBalancing.ROUND_ROBIN, null).inheritedPolicy(ns)).as("only the key goes")
        .isEqualTo(new ServicePolicy(null, null, null, null, LoadBalancing.ROUND_ROBIN, null, null));
    assertThat(hashing(AppProtocol.TCP, null, null).effectivePolicy(ns).hashOn())
        .as("a tcp connection has no header").isNull();
    assertThat(hashing(AppProtocol.TCP, null, null).effectivePolicy(hashingDefaults(new HashOn(null, null, true)))
        .hashOn()).isEqualTo(new HashOn(null, null, true));
  }

  @Test
  void tlsModeIsPermissiveByDefaultThenTheNamespacesThenTheServicesOwn() {
    ServiceSpec plain = new ServiceSpec("s", "http", AppProtocol.HTTP, null, null, null);
    ServiceSpec strict = plain.withPolicy(ServicePolicy.EMPTY.withTls(new Tls(TlsMode.STRICT)));
    Namespace disabled = new Namespace("prod", null, ServicePolicy.EMPTY.withTls(new Tls(TlsMode.DISABLED)));
    assertThat(plain.effectivePolicy(null).tls()).isEqualTo(new Tls(TlsMode.PERMISSIVE));
    assertThat(plain.effectivePolicy(disabled).tls()).isEqualTo(new Tls(TlsMode.DISABLED));
    assertThat(strict.effectivePolicy(disabled).tls()).isEqualTo(new Tls(TlsMode.STRICT));
    assertThat(plain.withPolicy(ServicePolicy.EMPTY.withTls(new Tls(null))).effectivePolicy(disabled).tls())
        .as("an empty tls object inherits").isEqualTo(new Tls(TlsMode.DISABLED));
  }

  @Test
  void zoneAwareIsOffByDefaultThenTheNamespacesThenTheServicesOwn() {
    ServiceSpec plain = new ServiceSpec("s", "http", AppProtocol.HTTP, null, null, null);
    ServiceSpec off = plain.withPolicy(ServicePolicy.EMPTY.withZoneAware(new ZoneAware(false)));
    Namespace on = new Namespace("prod", null, ServicePolicy.EMPTY.withZoneAware(new ZoneAware(true)));
    assertThat(plain.effectivePolicy(null).zoneAware()).isEqualTo(new ZoneAware(false));
    assertThat(plain.effectivePolicy(on).zoneAware()).isEqualTo(new ZoneAware(true));
    assertThat(off.effectivePolicy(on).zoneAware()).isEqualTo(new ZoneAware(false));
    assertThat(plain.withPolicy(ServicePolicy.EMPTY.withZoneAware(new ZoneAware(null))).effectivePolicy(on).zoneAware())
        .as("an empty zoneAware object inherits").isEqualTo(new ZoneAware(true));
    assertThat(plain.inheritedPolicy(null).zoneAware()).as("not completed: unset").isNull();
  }
}
