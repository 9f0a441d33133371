package io.tether.client;

/** A granted lease: its id, and the TTL etcd granted (which may exceed the TTL asked for). */
public record Lease(long id, long ttlSeconds) {}
