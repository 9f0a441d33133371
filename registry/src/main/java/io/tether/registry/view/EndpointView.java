package io.tether.registry.view;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tether.model.Endpoint;

/**
 * An endpoint as the API shows it: the endpoint as the view holds it (DRAINING while drained) and,
 * when an operator drained it, {@code "drained": true}; absent otherwise.
 */
public record EndpointView(@JsonUnwrapped Endpoint endpoint, Boolean drained) {
  public static EndpointView of(RegistryState state, String ns, String svc, String id, Endpoint endpoint) {
    return new EndpointView(endpoint, state.drained(ns, svc, id) ? Boolean.TRUE : null);
  }
}
