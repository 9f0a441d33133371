package io.tether.xds.cache;

import java.time.Instant;

/** A response a client rejected: which version, why (the client's own words), and when. */
public record Nack(String version, String message, Instant at) {}
