package io.tether.registry.view;

import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * One service in the view: its spec (null while only endpoints are known, which a consistent store
 * never shows for long) and its endpoints by id as everyone downstream sees them: {@code registered}
 * (as the agent wrote them) with an operator's drain applied, i.e. a drained endpoint is DRAINING
 * whatever health its agent reports. {@code drained} maps the drained ids to their drain's revision.
 * A drained endpoint keeps its own mod revision (its ETag, which agents' conditional writes compare).
 */
public record ServiceEntry(Versioned<ServiceSpec> spec, PMap<String, Versioned<Endpoint>> endpoints,
    PMap<String, Versioned<Endpoint>> registered, PMap<String, Long> drained) {
  static final ServiceEntry EMPTY = new ServiceEntry(null, HashTreePMap.empty());

  /** A service without drains: its endpoints as registered. */
  public ServiceEntry(Versioned<ServiceSpec> spec, PMap<String, Versioned<Endpoint>> endpoints) {
    this(spec, endpoints, endpoints, HashTreePMap.empty());
  }

  public boolean isDrained(String id) {
    return drained.containsKey(id);
  }

  ServiceEntry withSpec(Versioned<ServiceSpec> newSpec) {
    return new ServiceEntry(newSpec, endpoints, registered, drained);
  }

  ServiceEntry withEndpoint(String id, Versioned<Endpoint> endpoint) {
    PMap<String, Versioned<Endpoint>> nowRegistered = endpoint == null ? registered.minus(id) : registered.plus(id, endpoint);
    return new ServiceEntry(spec, effective(endpoints, id, endpoint, drained.containsKey(id)), nowRegistered, drained);
  }

  /** Records ({@code revision > 0}) or lifts ({@code revision == 0}) an operator's drain of one endpoint. */
  ServiceEntry withDrain(String id, long revision) {
    PMap<String, Long> nowDrained = revision > 0 ? drained.plus(id, revision) : drained.minus(id);
    return new ServiceEntry(spec, effective(endpoints, id, registered.get(id), revision > 0), registered, nowDrained);
  }

  boolean isEmpty() {
    return spec == null && registered.isEmpty() && drained.isEmpty();
  }

  private static PMap<String, Versioned<Endpoint>> effective(PMap<String, Versioned<Endpoint>> endpoints, String id,
      Versioned<Endpoint> registered, boolean drained) {
    if (registered == null) {
      return endpoints.minus(id);
    }
    Versioned<Endpoint> shown = drained && registered.value().healthOrDefault() != Health.DRAINING
        ? new Versioned<>(registered.value().withHealth(Health.DRAINING), registered.modRevision()) : registered;
    return endpoints.plus(id, shown);
  }
}
