package io.tether.registry.view;

import io.tether.model.Endpoint;
import io.tether.model.Versioned;
import io.tether.registry.view.ResourceChange.Kind;
import io.tether.registry.view.ResourceChange.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The object-level changes of one {@link RegistryUpdate}: each namespace, service and endpoint that was
 * put or deleted. It costs what the update touched: an {@code EndpointsChanged} compares one service's
 * endpoints (unchanged ones are the same instances, so the comparison is by reference), never the mesh.
 *
 * <p>A put carries the object's own mod revision; a delete carries the update's revision (a watch
 * response may span several revisions, and a deleted key has none left to read).
 */
public final class ResourceChanges {
  private ResourceChanges() {}

  public static List<ResourceChange> of(RegistryUpdate update) {
    List<ResourceChange> out = new ArrayList<>();
    RegistryState before = update.previous();
    RegistryState after = update.current();
    for (RegistryChange change : update.changes()) {
      String ns = change.namespace();
      if (change instanceof RegistryChange.NamespaceChanged) {
        add(out, after, ns, Kind.NAMESPACE, null, null, before.namespace(ns).orElse(null),
            after.namespace(ns).orElse(null));
      } else if (change instanceof RegistryChange.ServiceChanged c) {
        add(out, after, ns, Kind.SERVICE, c.service(), null, before.service(ns, c.service()).orElse(null),
            after.service(ns, c.service()).orElse(null));
      } else if (change instanceof RegistryChange.AuthorizationChanged c) {
        add(out, after, ns, Kind.AUTHORIZATION, null, c.name(), before.authorization(ns, c.name()).orElse(null),
            after.authorization(ns, c.name()).orElse(null));
      } else if (change instanceof RegistryChange.EndpointsChanged c) {
        endpoints(out, before, after, ns, c.service());
      }
    }
    out.sort(Comparator.comparingLong(ResourceChange::revision));
    return out;
  }

  private static void endpoints(List<ResourceChange> out, RegistryState before, RegistryState after, String ns,
      String svc) {
    Map<String, Versioned<Endpoint>> was = before.endpoints(ns, svc);
    Map<String, Versioned<Endpoint>> is = after.endpoints(ns, svc);
    Set<String> ids = new HashSet<>(was.keySet());
    ids.addAll(is.keySet());
    for (String id : ids) {
      Versioned<Endpoint> then = was.get(id);
      Versioned<Endpoint> now = is.get(id);
      if (Objects.equals(then, now) && before.drained(ns, svc, id) == after.drained(ns, svc, id)) {
        continue;
      }
      if (now == null) {
        out.add(new ResourceChange(after.revision(), ns, Kind.ENDPOINT, svc, id, Op.DELETE, null));
      } else {
        // A drain or undrain changes what is shown, not the endpoint's own revision: it is news of this step.
        long revision = then != null && then.modRevision() >= now.modRevision() ? after.revision() : now.modRevision();
        out.add(new ResourceChange(revision, ns, Kind.ENDPOINT, svc, id, Op.PUT,
            EndpointView.of(after, ns, svc, id, now.value())));
      }
    }
  }

  private static void add(List<ResourceChange> out, RegistryState after, String ns, Kind kind, String svc,
      String id, Versioned<?> was, Versioned<?> is) {
    if (Objects.equals(was, is)) {
      return; // e.g. a namespace key re-put with the same value and revision by a re-list
    }
    if (is == null) {
      out.add(new ResourceChange(after.revision(), ns, kind, svc, id, Op.DELETE, null));
    } else {
      out.add(new ResourceChange(is.modRevision(), ns, kind, svc, id, Op.PUT, is.value()));
    }
  }
}
