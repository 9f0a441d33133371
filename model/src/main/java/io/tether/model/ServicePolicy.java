package io.tether.model;

/**
 * The resilience policy of a service. Every field may be null: a service's own value wins, then its
 * namespace's default, then Service Connect's (see {@link Policies#serviceConnectDefaults}).
 */
public record ServicePolicy(
    Timeout timeout,
    RetryPolicy retryPolicy,
    OutlierDetection outlierDetection,
    CircuitBreakers circuitBreakers,
    LoadBalancing loadBalancing,
    HashOn hashOn,
    HealthCheck healthCheck,
    AuthorizationPolicy authorization,
    Tls tls,
    ZoneAware zoneAware) {

  public static final ServicePolicy EMPTY =
      new ServicePolicy(null, null, null, null, null, null, null, null, null, null);

  /** A policy that does not say whether it is zone-aware (inherited). */
  public ServicePolicy(Timeout timeout, RetryPolicy retryPolicy, OutlierDetection outlierDetection,
      CircuitBreakers circuitBreakers, LoadBalancing loadBalancing, HashOn hashOn, HealthCheck healthCheck,
      AuthorizationPolicy authorization, Tls tls) {
    this(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn, healthCheck, authorization,
        tls, null);
  }

  /** A policy without an authorization default nor a tls mode (both inherited). */
  public ServicePolicy(Timeout timeout, RetryPolicy retryPolicy, OutlierDetection outlierDetection,
      CircuitBreakers circuitBreakers, LoadBalancing loadBalancing, HashOn hashOn, HealthCheck healthCheck) {
    this(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn, healthCheck, null);
  }

  /** A policy without a tls mode (inherited). */
  public ServicePolicy(Timeout timeout, RetryPolicy retryPolicy, OutlierDetection outlierDetection,
      CircuitBreakers circuitBreakers, LoadBalancing loadBalancing, HashOn hashOn, HealthCheck healthCheck,
      AuthorizationPolicy authorization) {
    this(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn, healthCheck, authorization,
        null);
  }

  /** A policy without a hash key. */
  public ServicePolicy(Timeout timeout, RetryPolicy retryPolicy, OutlierDetection outlierDetection,
      CircuitBreakers circuitBreakers, LoadBalancing loadBalancing, HealthCheck healthCheck) {
    this(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, null, healthCheck);
  }

  /** Field by field, down to the leaves: this policy where set, else the fallback's. */
  public ServicePolicy orElse(ServicePolicy fallback) {
    if (fallback == null) {
      return this;
    }
    return new ServicePolicy(
        timeout == null ? fallback.timeout : timeout.orElse(fallback.timeout),
        retryPolicy == null ? fallback.retryPolicy : retryPolicy.orElse(fallback.retryPolicy),
        outlierDetection == null
            ? fallback.outlierDetection
            : outlierDetection.orElse(fallback.outlierDetection),
        circuitBreakers == null
            ? fallback.circuitBreakers
            : circuitBreakers.orElse(fallback.circuitBreakers),
        Policies.first(loadBalancing, fallback.loadBalancing),
        Policies.first(hashOn, fallback.hashOn),
        healthCheck == null ? fallback.healthCheck : healthCheck.orElse(fallback.healthCheck),
        authorization == null ? fallback.authorization : authorization.orElse(fallback.authorization),
        tls == null ? fallback.tls : tls.orElse(fallback.tls),
        zoneAware == null ? fallback.zoneAware : zoneAware.orElse(fallback.zoneAware));
  }

  /** This policy with another authorization default. */
  public ServicePolicy withAuthorization(AuthorizationPolicy newAuthorization) {
    return new ServicePolicy(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn,
        healthCheck, newAuthorization, tls, zoneAware);
  }

  /** This policy with another tls mode. */
  public ServicePolicy withTls(Tls newTls) {
    return new ServicePolicy(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn,
        healthCheck, authorization, newTls, zoneAware);
  }

  /** This policy with another zoneAware value. */
  public ServicePolicy withZoneAware(ZoneAware newZoneAware) {
    return new ServicePolicy(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn,
        healthCheck, authorization, tls, newZoneAware);
  }

  /** This policy without a hash key that does not apply to a service of this protocol (see {@link HashOn#appliesTo}). */
  ServicePolicy withApplicableHashOn(AppProtocol protocol) {
    if (hashOn == null || hashOn.appliesTo(loadBalancing, protocol)) {
      return this;
    }
    return new ServicePolicy(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, null, healthCheck,
        authorization, tls, zoneAware);
  }
}
