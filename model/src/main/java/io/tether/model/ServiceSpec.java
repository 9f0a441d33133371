package io.tether.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
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
    @JsonUnwrapped ServicePolicy policy,
    @JsonUnwrapped Traffic traffic,
    @JsonUnwrapped Sharing sharing) {

  /** An absent policy is an empty one: every field inherited; absent traffic is no routes; absent sharing, none. */
  public ServiceSpec {
    clientAliases = clientAliases == null ? List.of() : Lists.copyKeepingNulls(clientAliases);
    policy = policy == null ? ServicePolicy.EMPTY : policy;
    traffic = traffic == null ? Traffic.NONE : traffic;
    sharing = sharing == null ? Sharing.NONE : sharing;
  }

  /** A service of its namespace only: neither exported nor an import. */
  public ServiceSpec(String discoveryName, String portName, AppProtocol appProtocol, List<ClientAlias> clientAliases,
      Integer ingressPortOverride, ServicePolicy policy, Traffic traffic) {
    this(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, policy, traffic, Sharing.NONE);
  }

  /** A service without routes: every call goes to the service itself. */
  public ServiceSpec(String discoveryName, String portName, AppProtocol appProtocol, List<ClientAlias> clientAliases,
      Integer ingressPortOverride, ServicePolicy policy) {
    this(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, policy, Traffic.NONE);
  }

  /**
   * The JSON shape: the policy's fields sit beside the service's names, as in ECS (written so by
   * {@link JsonUnwrapped}). Read through this creator rather than an unwrapped one, because Jackson
   * lets an unwrapped object swallow unknown fields: here an unknown field is still an error, and a
   * bad value is reported at the same path ({@code timeout.perRequestTimeoutSeconds}).
   */
  @JsonCreator
  static ServiceSpec fromJson(@JsonProperty("discoveryName") String discoveryName,
      @JsonProperty("portName") String portName, @JsonProperty("appProtocol") AppProtocol appProtocol,
      @JsonProperty("clientAliases") List<ClientAlias> clientAliases,
      @JsonProperty("ingressPortOverride") Integer ingressPortOverride,
      @JsonProperty("timeout") Timeout timeout, @JsonProperty("retryPolicy") RetryPolicy retryPolicy,
      @JsonProperty("outlierDetection") OutlierDetection outlierDetection,
      @JsonProperty("circuitBreakers") CircuitBreakers circuitBreakers,
      @JsonProperty("loadBalancing") LoadBalancing loadBalancing, @JsonProperty("hashOn") HashOn hashOn,
      @JsonProperty("healthCheck") HealthCheck healthCheck,
      @JsonProperty("authorization") AuthorizationPolicy authorization, @JsonProperty("tls") Tls tls,
      @JsonProperty("zoneAware") ZoneAware zoneAware,
      @JsonProperty("routes") List<RouteRule> routes, @JsonProperty("subsets") List<Subset> subsets,
      @JsonProperty("split") List<Destination> split, @JsonProperty("testTraffic") List<TestTrafficRule> testTraffic,
      @JsonProperty("exports") List<String> exports, @JsonProperty("importFrom") ImportFrom importFrom) {
    return new ServiceSpec(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride,
        new ServicePolicy(timeout, retryPolicy, outlierDetection, circuitBreakers, loadBalancing, hashOn, healthCheck,
            authorization, tls, zoneAware), new Traffic(routes, subsets, split, testTraffic),
        new Sharing(exports, importFrom));
  }

  /** The namespaces this service is exported to; empty when it is not (README "Exports and imports"). */
  public List<String> exports() {
    return sharing.exports();
  }

  /** The exporter an import service stands for; null when this is not an import. */
  public ImportFrom importFrom() {
    return sharing.importFrom();
  }

  /** The rules in order; none when the service takes every call itself. */
  public List<RouteRule> routes() {
    return traffic.routes();
  }

  /** The spec without its routing (routes, split, test traffic): what its clusters and listeners are rendered from. */
  public ServiceSpec withoutRouting() {
    return new ServiceSpec(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, policy,
        traffic.subsetsOnly(), sharing);
  }

  /**
   * The spec without its {@code exports}: what its callers' clusters, listeners and routes are rendered
   * from (only its ingress, the namespace wall, reads them; importers get the spec {@link #asImportedUnder}
   * their aliases), so that editing the exports re-sends its callers nothing.
   */
  public ServiceSpec withoutExports() {
    return new ServiceSpec(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, policy, traffic,
        new Sharing(List.of(), sharing.importFrom()));
  }

  /** Service Connect treats a service without an appProtocol as plain TCP. */
  public AppProtocol protocol() {
    return appProtocol == null ? AppProtocol.TCP : appProtocol;
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

  /**
   * The spec as {@code ?effective=true} answers it: the {@link #effectivePolicy}, and each rule's timeout and
   * retry policy filled from it (what the rule's calls get).
   */
  public ServiceSpec effective(Namespace namespace) {
    ServicePolicy effective = effectivePolicy(namespace);
    return new ServiceSpec(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, effective,
        traffic.withPolicyFrom(effective), sharing);
  }

  public ServiceSpec withDiscoveryName(String name) {
    return new ServiceSpec(name, portName, appProtocol, clientAliases, ingressPortOverride, policy, traffic, sharing);
  }

  public ServiceSpec withPolicy(ServicePolicy newPolicy) {
    return new ServiceSpec(discoveryName, portName, appProtocol, clientAliases, ingressPortOverride, newPolicy,
        traffic, sharing);
  }

  /**
   * This spec as the exporter's clients in another namespace get it under an import's {@code aliases}: the
   * exporter's protocol, policy and subsets, and of its routes, test traffic and split only what stays within
   * it: a destination in another service of the exporter's namespace would reach what was not exported, so
   * such a rule is left out, and a split naming one leaves importers the whole service as the default.
   */
  public ServiceSpec asImportedUnder(List<ClientAlias> aliases) {
    List<RouteRule> routes = traffic.routes().stream().filter(r -> withinSelf(r.to())).toList();
    List<TestTrafficRule> tests = traffic.testTraffic().stream().filter(t -> withinSelf(t.to())).toList();
    List<Destination> split = withinSelf(traffic.split()) ? traffic.split() : List.of();
    return new ServiceSpec(discoveryName, portName, appProtocol, aliases, ingressPortOverride, policy,
        new Traffic(routes, traffic.subsets(), split, tests), Sharing.NONE);
  }

  private boolean withinSelf(List<Destination> to) {
    return to.stream().allMatch(d -> d.serviceOr(discoveryName).equals(discoveryName));
  }
}
