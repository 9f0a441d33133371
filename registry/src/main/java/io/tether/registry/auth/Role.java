package io.tether.registry.auth;

/** What a bearer token may do: admin everything, reader GET only, agent its own namespace's leases and endpoints. */
public enum Role {
  ADMIN, READER, AGENT
}
