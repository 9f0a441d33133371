package io.tether.registry.store;

/** What the registry records about an agent lease: which namespace's agent holds it. */
public record LeaseRecord(long leaseId, String namespace, long ttlSeconds) {}
