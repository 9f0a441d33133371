package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.tether.model.Authorization;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Namespace;
import io.tether.model.ServiceSpec;
import io.tether.model.Subset;
import io.tether.model.Tracing;
import io.tether.model.VipRange;
import io.tether.model.Versioned;
import io.tether.model.ZoneAware;
import io.tether.registry.view.RegistryState;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.IngressAuthorization;
import io.tether.xds.render.IngressResources;
import io.tether.xds.render.MeshRenderer;
import io.tether.xds.render.ResourceNames;
import io.tether.xds.render.ServiceInput;
import io.tether.xds.render.ServiceResources;
import io.tether.xds.render.TracingRenderer;
import io.tether.xds.render.TrustDomain;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders one service (or its endpoints, or its ingress) from a registry state into versioned
 * resources. Versions come from the inputs' revisions and, for a spec, a hash of the part of it a
 * resource is rendered from (see {@link Versions}), so no resource is serialised to decide whether it changed.
 */
final class ServiceRendering {
  private ServiceRendering() {}

  /** The service's cluster, listeners and routes for a kind of client; NONE when the service is gone. */
  static RenderedService service(RegistryState state, String ns, String svc, ProxyKind kind) {
    return service(state, new EgressKey(ns, kind, VipRange.REGISTRY), svc, null, TrustDomain.DEFAULT);
  }

  /**
   * As {@link #service(RegistryState, String, String, ProxyKind)} for {@code egress}, with the service's
   * {@link #vipsOf} when known, in {@code trustDomain}.
   */
  static RenderedService service(RegistryState state, EgressKey egress, String svc, Map<String, String> knownVips,
      TrustDomain trustDomain) {
    String ns = egress.namespace();
    Versioned<ServiceSpec> spec = state.service(ns, svc).orElse(null);
    if (spec == null) {
      return RenderedService.NONE;
    }
    Versioned<Namespace> namespace = state.namespace(ns).orElse(null);
    Map<String, String> vips = knownVips != null ? knownVips : vipsOf(spec.value(), state.vips(ns));
    boolean proxylessTls = proxylessTls(state, egress, svc);
    if (spec.value().importFrom() != null) {
      return state.activeExporter(ns, svc)
          .map(exporter -> imported(state, egress, spec.value(), exporter.value(), vips, proxylessTls, trustDomain))
          .orElse(RenderedService.NONE); // PENDING: nothing at all
    }
    ServiceInput input = new ServiceInput(ns, spec.value(), spec.value().inheritedPolicy(valueOf(namespace)), vips,
        trustDomain, tracingOf(namespace));
    return rendered(egress, input, proxylessTls, revisionOf(namespace));
  }

  /**
   * An ACTIVE import as its namespace's callers get it: the exporter's cluster (its name, SNI, TLS, policy
   * and subsets, in the exporter's namespace), under the import's aliases and VIPs, with the importer's
   * tracing; versioned by both namespaces' revisions and the spec rendered.
   */
  private static RenderedService imported(RegistryState state, EgressKey egress, ServiceSpec imp, ServiceSpec exporter,
      Map<String, String> vips, boolean proxylessTls, TrustDomain trustDomain) {
    String from = imp.importFrom().namespace();
    Versioned<Namespace> exporterNs = state.namespace(from).orElse(null);
    Versioned<Namespace> importerNs = state.namespace(egress.namespace()).orElse(null);
    ServiceSpec rendered = exporter.asImportedUnder(imp.clientAliases());
    ServiceInput input = new ServiceInput(from, rendered, rendered.inheritedPolicy(valueOf(exporterNs)), vips,
        trustDomain, tracingOf(importerNs), egress.namespace());
    return rendered(egress, input, proxylessTls,
        Versions.of("import", from, revisionOf(exporterNs), revisionOf(importerNs)));
  }

  /** {@code input} rendered for {@code egress}, versioned by {@code namespaces} (their revisions) and the spec. */
  private static RenderedService rendered(EgressKey egress, ServiceInput input, boolean proxylessTls,
      Object namespaces) {
    ServiceSpec spec = input.spec();
    ServiceResources rendered = MeshRenderer.service(input, egress.kind(), egress.vipRange(), proxylessTls);
    // Versioned by what they are rendered from, not by the spec's revision: a rewrite that changes nothing
    // re-sends nothing; clusters (and an HTTP service's Envoy listeners, whose routes come over RDS) are
    // rendered from the spec without its routing, so a weight change re-sends the routes only.
    // Nor by the exports, which only the ingress reads.
    String version = egressVersion(egress, proxylessTls, namespaces, Versions.ofJson(spec.withoutExports()),
        input.vips());
    String unrouted = egressVersion(egress, proxylessTls, namespaces,
        Versions.ofJson(spec.withoutRouting().withoutExports()), input.vips());
    boolean routesInListener = egress.kind() == ProxyKind.GRPC || !spec.protocol().isHttp();
    Map<ResourceType, Map<String, VersionedResource<?>>> out = new EnumMap<>(ResourceType.class);
    for (Cluster cluster : rendered.clusters()) {
      put(out, ResourceType.CLUSTER, cluster.getName(), cluster, unrouted);
    }
    for (Listener l : rendered.listeners()) {
      put(out, ResourceType.LISTENER, l.getName(), l, routesInListener ? version : unrouted);
    }
    for (RouteConfiguration r : rendered.routes()) {
      put(out, ResourceType.ROUTE, r.getName(), r, version);
    }
    return new RenderedService(out, input.vips(), proxylessTls);
  }

  /** A version of what {@code egress} gets of a service rendered from {@code spec} (a revision, or a hash). */
  private static String egressVersion(EgressKey egress, boolean proxylessTls, Object namespaces, Object spec,
      Map<String, String> vips) {
    String version = Versions.of(egress.kind(), namespaces, spec, new TreeMap<>(vips));
    if (!egress.vipRange().equals(VipRange.REGISTRY)) {
      // Other addresses, other versions; without a range they stay what they were before ranges existed.
      version = Versions.of(version, egress.vipRange());
    }
    if (egress.certificates()) {
      version = Versions.of(version, "proxyless-tls", proxylessTls);
    }
    return version;
  }

  /**
   * Whether {@code egress}'s cluster of {@code svc} asks for proxyless mutual TLS: only clients with the
   * certificate provider, and only while every endpoint is fronted by an agent's Envoy.
   */
  static boolean proxylessTls(RegistryState state, EgressKey egress, String svc) {
    ClusterSource source = ClusterSource.of(state, egress.namespace(), svc);
    return egress.certificates() && source != null && MeshRenderer.proxylessTlsReaches(
        state.endpoints(source.namespace(), source.service()).values().stream().map(Versioned::value).toList());
  }

  /**
   * The service's ClusterLoadAssignment, and one per subset over the subset's members only, each versioned
   * by its own endpoints (so a change to an endpoint outside a subset leaves that subset's alone); NONE when
   * the service is gone (its clusters go with it).
   */
  static RenderedService assignment(RegistryState state, String ns, String svc) {
    return assignment(state, ns, svc, null);
  }

  /**
   * The service's ClusterLoadAssignments for callers in {@code callerZone} (null: none). Only a zone-aware
   * service's differ, and only when the zone has an endpoint of the cluster: then its version is the
   * endpoints' and the zone, else exactly the zoneless one's, so every assignment a zone leaves alone keeps
   * its version.
   */
  static RenderedService assignment(RegistryState state, String importerNs, String importer, String callerZone) {
    // An ACTIVE import's are its exporter's, by the exporter's names; a PENDING one has none.
    ClusterSource source = ClusterSource.of(state, importerNs, importer);
    if (source == null) {
      return RenderedService.NONE;
    }
    String ns = source.namespace();
    String svc = source.service();
    Versioned<ServiceSpec> spec = state.service(ns, svc).orElseThrow();
    Map<String, Versioned<Endpoint>> endpoints = state.endpoints(ns, svc);
    String zone = callerZone != null && zoneAware(state, ns, svc) ? callerZone : null;
    Map<ResourceType, Map<String, VersionedResource<?>>> out = new EnumMap<>(ResourceType.class);
    putAssignment(out, ResourceNames.cluster(ns, svc), endpoints, zone);
    for (Subset subset : spec.value().traffic().subsets()) {
      Map<String, Versioned<Endpoint>> members = new LinkedHashMap<>();
      endpoints.forEach((id, v) -> {
        if (subset.selects(v.value())) {
          members.put(id, v);
        }
      });
      putAssignment(out, ResourceNames.subsetCluster(ns, svc, subset.name()), members, zone);
    }
    return new RenderedService(out, Map.of());
  }

  /**
   * One cluster's assignment over {@code endpoints}: by zone priority when {@code zone} (a zone-aware
   * service's caller's) has one of them, versioned by the endpoints and that zone; else the zoneless one.
   */
  private static void putAssignment(Map<ResourceType, Map<String, VersionedResource<?>>> out, String cluster,
      Map<String, Versioned<Endpoint>> endpoints, String zone) {
    Map<String, Endpoint> plain = new LinkedHashMap<>();
    endpoints.forEach((id, v) -> plain.put(id, v.value()));
    String prioritised = zone != null && MeshRenderer.prioritises(plain.values(), zone) ? zone : null;
    String version = prioritised == null ? Versions.ofEndpoints(endpoints)
        : Versions.of(Versions.ofEndpoints(endpoints), "zone", prioritised);
    put(out, ResourceType.ENDPOINT, cluster, MeshRenderer.assignment(cluster, plain, prioritised), version);
  }

  /** True when the service exists and its policy (its own, else its namespace's default) is zone-aware. */
  static boolean zoneAware(RegistryState state, String callerNs, String callee) {
    ClusterSource source = ClusterSource.of(state, callerNs, callee);
    if (source == null) {
      return false;
    }
    Versioned<ServiceSpec> spec = state.service(source.namespace(), source.service()).orElseThrow();
    Versioned<Namespace> namespace = state.namespace(source.namespace()).orElse(null);
    ZoneAware zoneAware = spec.value().inheritedPolicy(valueOf(namespace)).zoneAware();
    return zoneAware != null && zoneAware.on();
  }

  /** As {@link #ingress(RegistryState, String, ServedService, TrustDomain)} in the default trust domain. */
  static RenderedService ingress(RegistryState state, String ns, ServedService served) {
    return ingress(state, ns, served, TrustDomain.DEFAULT);
  }

  /** An Envoy node's ingress listener and local cluster for a service it serves; NONE when the service is gone. */
  static RenderedService ingress(RegistryState state, String ns, ServedService served, TrustDomain trustDomain) {
    Versioned<ServiceSpec> spec = state.service(ns, served.discoveryName()).orElse(null);
    if (spec == null || spec.value().importFrom() != null) {
      return RenderedService.NONE; // an import has no endpoints to serve: its exporter's sidecars do
    }
    Versioned<Namespace> namespace = state.namespace(ns).orElse(null);
    ServiceInput input = new ServiceInput(ns, spec.value(),
        spec.value().inheritedPolicy(namespace == null ? null : namespace.value()), Map.of(), trustDomain,
        tracingOf(namespace));
    Map<String, Versioned<Authorization>> rules = state.authorizations(ns).to(served.discoveryName());
    IngressAuthorization authz = new IngressAuthorization(rules.values().stream().map(Versioned::value).toList(),
        input.policy().authorization().defaultAction(), trustDomain);
    IngressResources r = MeshRenderer.ingress(input, served, authz);
    // Rendered from the spec without its routing: a weight change leaves the ingress alone.
    String version = Versions.of("ingress", namespace == null ? 0 : namespace.modRevision(),
        Versions.ofJson(spec.value().withoutRouting()), served.ingressPort(), served.appPort());
    // The default is in the spec's and namespace's revisions; the rules change the listener only.
    String listenerVersion = rules.isEmpty() ? version : Versions.of(version, Versions.ofRules(rules));
    Map<ResourceType, Map<String, VersionedResource<?>>> out = new EnumMap<>(ResourceType.class);
    put(out, ResourceType.LISTENER, r.listener().getName(), r.listener(), listenerVersion);
    put(out, ResourceType.CLUSTER, r.localCluster().getName(), r.localCluster(), version);
    return new RenderedService(out, Map.of());
  }

  /**
   * What every Envoy node of the namespace gets whichever services it calls or serves: the cluster to
   * its tracing's collector; NONE without tracing. Versioned by the namespace's revision, its one input.
   */
  static RenderedService namespaceWide(RegistryState state, String ns) {
    Versioned<Namespace> namespace = state.namespace(ns).orElse(null);
    Tracing tracing = tracingOf(namespace);
    if (tracing == null) {
      return RenderedService.NONE;
    }
    Cluster collector = TracingRenderer.collector(ns, tracing);
    Map<ResourceType, Map<String, VersionedResource<?>>> out = new EnumMap<>(ResourceType.class);
    put(out, ResourceType.CLUSTER, collector.getName(), collector, Versions.of("collector", namespace.modRevision()));
    return new RenderedService(out, Map.of());
  }

  private static Namespace valueOf(Versioned<Namespace> namespace) {
    return namespace == null ? null : namespace.value();
  }

  private static long revisionOf(Versioned<Namespace> namespace) {
    return namespace == null ? 0 : namespace.modRevision();
  }

  private static Tracing tracingOf(Versioned<Namespace> namespace) {
    return namespace == null ? null : namespace.value().tracing();
  }

  /** The VIPs of a spec's aliases, from the namespace's alias table. */
  static Map<String, String> vipsOf(ServiceSpec spec, Map<String, String> namespaceVips) {
    Map<String, String> out = new TreeMap<>();
    for (ClientAlias a : spec.clientAliases()) {
      String ip = namespaceVips.get(a.hostPort());
      if (ip != null) {
        out.put(a.hostPort(), ip);
      }
    }
    return out;
  }

  private static void put(Map<ResourceType, Map<String, VersionedResource<?>>> out, ResourceType type, String name,
      com.google.protobuf.Message resource, String version) {
    out.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(name, VersionedResource.create(resource, version));
  }
}
