package io.tether.registry.view;

import io.tether.model.Authorization;
import io.tether.model.Versioned;
import io.tether.model.Endpoint;
import io.tether.model.ImportFrom;
import io.tether.model.Namespace;
import io.tether.model.ServiceSpec;
import java.util.Map;
import java.util.Optional;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * An immutable snapshot of the registry at one etcd revision. Persistent maps make each update cost
 * what it touched: a changed endpoint copies one path of three small trees, not the mesh.
 */
public record RegistryState(long revision, PMap<String, NamespaceEntry> namespaces, Importers importers) {
  public static final RegistryState EMPTY = new RegistryState(0, HashTreePMap.empty(), Importers.EMPTY);

  /** A state put together by hand (tests, benchmarks): its importers index is built from scratch. */
  public RegistryState(long revision, PMap<String, NamespaceEntry> namespaces) {
    this(revision, namespaces, Importers.of(namespaces));
  }

  /**
   * The exporter an import service {@code ns/svc} stands for while the import is ACTIVE: the exporter exists
   * and lists {@code ns} in its exports. Empty while it is PENDING, and for a service that is no import.
   */
  public Optional<Versioned<ServiceSpec>> activeExporter(String ns, String svc) {
    ImportFrom from = service(ns, svc).map(v -> v.value().importFrom()).orElse(null);
    if (from == null) {
      return Optional.empty();
    }
    return service(from.namespace(), from.service()).filter(e -> e.value().sharing().exportsTo(ns));
  }

  public Optional<Versioned<Namespace>> namespace(String ns) {
    NamespaceEntry entry = namespaces.get(ns);
    return Optional.ofNullable(entry == null ? null : entry.namespace());
  }

  public Optional<Versioned<ServiceSpec>> service(String ns, String svc) {
    ServiceEntry entry = serviceEntry(ns, svc);
    return Optional.ofNullable(entry == null ? null : entry.spec());
  }

  /** Endpoints of a service by id; empty when the service has none or does not exist. */
  public Map<String, Versioned<Endpoint>> endpoints(String ns, String svc) {
    ServiceEntry entry = serviceEntry(ns, svc);
    return entry == null ? Map.of() : entry.endpoints();
  }

  /** Whether an operator drained this endpoint (docs/operations.md, "Draining an endpoint"). */
  public boolean drained(String ns, String svc, String id) {
    ServiceEntry entry = serviceEntry(ns, svc);
    return entry != null && entry.isDrained(id);
  }

  /** The services of a namespace by discovery name, including their endpoints. */
  public Map<String, ServiceEntry> services(String ns) {
    NamespaceEntry entry = namespaces.get(ns);
    return entry == null ? Map.of() : entry.services();
  }

  /** A namespace's client aliases ({@code dnsName:port}) and their virtual IPs. */
  public Map<String, String> vips(String ns) {
    NamespaceEntry entry = namespaces.get(ns);
    return entry == null ? Map.of() : entry.vips();
  }

  /** A namespace's authorization rules (by name, and by the service they protect). */
  public NamespaceAuthorizations authorizations(String ns) {
    NamespaceEntry entry = namespaces.get(ns);
    return entry == null ? NamespaceAuthorizations.EMPTY : entry.authorizations();
  }

  public Optional<Versioned<Authorization>> authorization(String ns, String name) {
    return Optional.ofNullable(authorizations(ns).byName().get(name));
  }

  private ServiceEntry serviceEntry(String ns, String svc) {
    NamespaceEntry entry = namespaces.get(ns);
    return entry == null ? null : entry.services().get(svc);
  }
}
