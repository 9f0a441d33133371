package io.tether.model;

import java.util.List;

/**
 * A service as an operator declares it: ECS's ServiceConnectService names plus the resilience policy
 * Service Connect hard-codes. Stored as written; {@link #effectivePolicy} fills in the defaults.
 */
public record ServiceSpec(
    String discoveryName,
    String portName,
    AppProtocol appProtocol,
    List<ClientAlias> clientAliases,
    Integer ingressPortOverride,
    Timeout timeout,
    RetryPolicy retryPolicy,
    OutlierDetection outlierDetection,
    CircuitBreakers circuitBreakers,
    LoadBalancing loadBalancing,
    HashOn hashOn,
    HealthCheck healthCheck) {

  public ServiceSpec {
    clientAliases = clientAliases == null ? List.of() : List.copyOf(clientAliases);
  }

  /** A spec without a hash key. */
  public ServiceSpec(String discoveryName, String portName, AppProtocol appProtocol,
      List<ClientAlias> clientAliases, Integer ingressPortOverride, Timeout timeout, RetryPolicy retryPolicy,
      OutlierDetection outlierDetection, CircuitBreakers circuitBreakers, LoadBalancing loadBalancing,
      HealthCheck healthCheck) {
    this(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, timeout, retryPolicy,
        outlierDetection, circuitBreakers, loadBalancing, null, healthCheck);
  }

  /** Service Connect treats a service without an appProtocol as plain TCP. */
  public AppProtocol protocol() {
    return appProtocol == null ? AppProtocol.TCP : appProtocol;
  }

  public ServicePolicy policy() {
    return new ServicePolicy(
        timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn, healthCheck);
  }

  /**
   * The policy that applies: this spec's values, then the namespace's defaults, then Service Connect's;
   * an inherited hash key the service cannot use (it balances without hashing, or is tcp and the key
   * is a header or cookie) is dropped.
   */
  public ServicePolicy effectivePolicy(Namespace namespace) {
    return Policies.completed(inheritedPolicy(namespace), protocol());
  }

  /**
   * This spec's values, then the namespace's defaults, without Service Connect's: what {@link
   * Policies#completed} turns into the {@link #effectivePolicy}. An inherited hash key the service cannot
   * use is already dropped (Service Connect's defaults add none, and balance round robin, which never
   * hashes, so dropping it before or after completing is the same).
   */
  public ServicePolicy inheritedPolicy(Namespace namespace) {
    ServicePolicy inherited = namespace == null ? ServicePolicy.EMPTY : namespace.defaultsOrEmpty();
    return policy().orElse(inherited).withApplicableHashOn(protocol());
  }

  public ServiceSpec withDiscoveryName(String name) {
    return new ServiceSpec(name, portName, appProtocol, clientAliases, ingressPortOverride, timeout,
        retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn, healthCheck);
  }
}
