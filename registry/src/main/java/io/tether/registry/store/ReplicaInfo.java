package io.tether.registry.store;

/** A running server replica as it records itself in etcd: its name, where its REST API is, its version and start. */
public record ReplicaInfo(String id, String apiUrl, String version, String startedAt) {}
