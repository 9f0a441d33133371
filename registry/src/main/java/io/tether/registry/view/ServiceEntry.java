package io.tether.registry.view;

import io.tether.model.Versioned;
import io.tether.model.Endpoint;
import io.tether.model.ServiceSpec;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * One service in the view: its spec (null while only endpoints are known, which a consistent store
 * never shows for long) and its endpoints by id.
 */
public record ServiceEntry(Versioned<ServiceSpec> spec, PMap<String, Versioned<Endpoint>> endpoints) {
  static final ServiceEntry EMPTY = new ServiceEntry(null, HashTreePMap.empty());

  ServiceEntry withSpec(Versioned<ServiceSpec> newSpec) {
    return new ServiceEntry(newSpec, endpoints);
  }

  ServiceEntry withEndpoint(String id, Versioned<Endpoint> endpoint) {
    return new ServiceEntry(spec, endpoint == null ? endpoints.minus(id) : endpoints.plus(id, endpoint));
  }

  boolean isEmpty() {
    return spec == null && endpoints.isEmpty();
  }
}
