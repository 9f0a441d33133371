package io.tether.model;

/** A value with the etcd mod revision it was written at: the resource's ETag and xDS version source. */
public record Versioned<T>(T value, long modRevision) {}
