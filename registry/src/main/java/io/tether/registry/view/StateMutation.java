package io.tether.registry.view;

import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.model.Authorization;
import io.tether.model.Endpoint;
import io.tether.model.Namespace;
import io.tether.model.ServiceSpec;
import io.tether.registry.store.RegistryKey;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.pcollections.PMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies key changes of one etcd revision (or one watch response) to a state, recording what changed.
 * Single use, single thread: create one per batch, apply, then {@link #result}.
 */
final class StateMutation {
  private static final Logger log = LoggerFactory.getLogger(StateMutation.class);

  private PMap<String, NamespaceEntry> namespaces;
  private Importers importers;
  private final Set<RegistryChange> changes = new LinkedHashSet<>();

  StateMutation(RegistryState base) {
    this.namespaces = base.namespaces();
    this.importers = base.importers();
  }

  /** Applies a put ({@code value != null}) or a delete of one key. Undecodable values are logged and skipped. */
  void apply(RegistryKey key, byte[] value, long modRevision) {
    try {
      if (key instanceof RegistryKey.NamespaceKey k) {
        update(k.namespace(), e -> e.withNamespace(versioned(value, Namespace.class, modRevision)));
        changes.add(new RegistryChange.NamespaceChanged(k.namespace()));
      } else if (key instanceof RegistryKey.ServiceKey k) {
        Versioned<ServiceSpec> spec = versioned(value, ServiceSpec.class, modRevision);
        importers = importers.with(k.namespace(), k.service(), specOf(k.namespace(), k.service()),
            spec == null ? null : spec.value());
        updateService(k.namespace(), k.service(), s -> s.withSpec(spec));
        changes.add(new RegistryChange.ServiceChanged(k.namespace(), k.service()));
      } else if (key instanceof RegistryKey.EndpointKey k) {
        Versioned<Endpoint> ep = versioned(value, Endpoint.class, modRevision);
        updateService(k.namespace(), k.service(), s -> s.withEndpoint(k.endpointId(), ep));
        changes.add(new RegistryChange.EndpointsChanged(k.namespace(), k.service()));
      } else if (key instanceof RegistryKey.DrainKey k) {
        long drainedAt = value == null ? 0 : modRevision;
        updateService(k.namespace(), k.service(), s -> s.withDrain(k.endpointId(), drainedAt));
        changes.add(new RegistryChange.EndpointsChanged(k.namespace(), k.service()));
      } else if (key instanceof RegistryKey.AuthorizationKey k) {
        Versioned<Authorization> rule = versioned(value, Authorization.class, modRevision);
        Versioned<Authorization> was = namespaces.getOrDefault(k.namespace(), NamespaceEntry.EMPTY)
            .authorizations().byName().get(k.name());
        update(k.namespace(), e -> e.withAuthorization(k.name(), rule));
        changes.add(new RegistryChange.AuthorizationChanged(k.namespace(), k.name(), callees(was, rule)));
      } else if (key instanceof RegistryKey.VipKey k) {
        String ip = value == null ? null : new String(value, StandardCharsets.UTF_8);
        update(k.namespace(), e -> e.withVip(k.hostPort(), ip));
        changes.add(new RegistryChange.VipsChanged(k.namespace()));
      }
    } catch (RuntimeException e) {
      log.warn("skipping undecodable registry value for {}: {}", key, e.getMessage());
    }
  }

  RegistryState result(long revision) {
    return new RegistryState(revision, namespaces, importers);
  }

  Set<RegistryChange> changes() {
    return changes;
  }

  private void update(String ns, java.util.function.UnaryOperator<NamespaceEntry> f) {
    NamespaceEntry updated = f.apply(namespaces.getOrDefault(ns, NamespaceEntry.EMPTY));
    namespaces = updated.isEmpty() ? namespaces.minus(ns) : namespaces.plus(ns, updated);
  }

  private void updateService(String ns, String svc, java.util.function.UnaryOperator<ServiceEntry> f) {
    update(ns, e -> e.withService(svc, f.apply(e.services().getOrDefault(svc, ServiceEntry.EMPTY))));
  }

  /** The services a rule protected and protects: what its change re-renders. */
  static java.util.Set<String> callees(Versioned<Authorization> was, Versioned<Authorization> is) {
    java.util.Set<String> out = new java.util.HashSet<>();
    if (was != null) {
      out.add(was.value().to());
    }
    if (is != null) {
      out.add(is.value().to());
    }
    return out;
  }

  private ServiceSpec specOf(String ns, String svc) {
    ServiceEntry entry = namespaces.getOrDefault(ns, NamespaceEntry.EMPTY).services().get(svc);
    return entry == null || entry.spec() == null ? null : entry.spec().value();
  }

  private static <T> Versioned<T> versioned(byte[] value, Class<T> type, long modRevision) {
    return value == null ? null : new Versioned<>(Json.read(value, type), modRevision);
  }
}
