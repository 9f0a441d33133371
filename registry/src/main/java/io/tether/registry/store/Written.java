package io.tether.registry.store;

/** The outcome of a committed write: its etcd revision (the resource's new ETag) and whether it created the resource. */
public record Written(long revision, boolean created) {}
