package io.tether.model;

/** Load-balancing policy of a service's cluster, named as Envoy names them. */
public enum LoadBalancing {
  ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV
}
