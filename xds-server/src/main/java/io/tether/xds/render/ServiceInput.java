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
 * @param tracing the namespace's, for its Envoy sidecars' connection managers; null: no tracing
 */
public record ServiceInput(String namespace, ServiceSpec spec, ServicePolicy policy, Map<String, String> vips,
    TrustDomain trustDomain, Tracing tracing) {
  public ServiceInput {
    vips = Map.copyOf(vips);
    policy = Policies.completed(policy, spec.protocol());
    trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
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
