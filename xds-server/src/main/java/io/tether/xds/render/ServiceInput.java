package io.tether.xds.render;

import io.tether.model.Policies;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Tracing;
import java.util.Map;
import java.util.Objects;

/**
 * What rendering one service needs, and nothing more.
 *
 * @param namespace the service's namespace
 * @param spec the service as stored
 * @param policy the service's policy (spec, then namespace defaults); every gap is filled here, once, with
 *     Service Connect's defaults, so the renderers always see the fully populated effective policy
 * @param vips the virtual IP of each of the service's aliases, by {@code dnsName:port}; an alias whose VIP is
 *     not (yet) allocated is missing and gets no Envoy egress listener
 * @param trustDomain the mesh's, for the SPIFFE IDs its mutual TLS checks ({@code tether server --trust-domain})
 * @param tracing the callers' namespace's, for its Envoy sidecars' connection managers; null: no tracing
 * @param callerNamespace the namespace of the clients the egress resources are for: the service's own, or for
 *     an import (README "Exports and imports") the importer's, whose collector cluster its tracing sends to
 */
public record ServiceInput(String namespace, ServiceSpec spec, ServicePolicy policy, Map<String, String> vips,
    TrustDomain trustDomain, Tracing tracing, String callerNamespace) {
  public ServiceInput {
    vips = Map.copyOf(vips);
    policy = Policies.completed(policy, spec.protocol());
    trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
  }

  /** For the clients of the service's own namespace. */
  public ServiceInput(String namespace, ServiceSpec spec, ServicePolicy policy, Map<String, String> vips,
      TrustDomain trustDomain, Tracing tracing) {
    this(namespace, spec, policy, vips, trustDomain, tracing, namespace);
  }

  /** Without tracing. */
  public ServiceInput(String namespace, ServiceSpec spec, ServicePolicy policy, Map<String, String> vips,
      TrustDomain trustDomain) {
    this(namespace, spec, policy, vips, trustDomain, null);
  }

  /** In the {@link TrustDomain#DEFAULT} trust domain. */
  public ServiceInput(String namespace, ServiceSpec spec, ServicePolicy policy, Map<String, String> vips) {
    this(namespace, spec, policy, vips, TrustDomain.DEFAULT);
  }
}
