package io.tether.registry.view;

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
      } else if (change instanceof RegistryChange.EndpointsChanged c) {
        endpoints(out, after, ns, c.service(), before.endpoints(ns, c.service()), after.endpoints(ns, c.service()));
      }
    }
    out.sort(Comparator.comparingLong(ResourceChange::revision));
    return out;
  }

  private static void endpoints(List<ResourceChange> out, RegistryState after, String ns, String svc,
      Map<String, ? extends Versioned<?>> before, Map<String, ? extends Versioned<?>> now) {
    Set<String> ids = new HashSet<>(before.keySet());
    ids.addAll(now.keySet());
    for (String id : ids) {
      add(out, after, ns, Kind.ENDPOINT, svc, id, before.get(id), now.get(id));
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
