package io.tether.xds.snapshot;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.tether.model.Endpoint;
import io.tether.model.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resource versions derived from the etcd revisions of what a resource was rendered from, so two
 * replicas serve identical versions for identical registry state. {@link #SCHEMA} changes whenever the
 * renderer's output changes shape, so an upgraded Tether re-sends what it now renders differently.
 */
final class Versions {
  private Versions() {}

  static final String SCHEMA = "tether-render-2";

  static String of(Object... parts) {
    Hasher h = Hashing.murmur3_128().newHasher().putString(SCHEMA, StandardCharsets.UTF_8);
    for (Object p : parts) {
      h.putByte((byte) 0).putString(String.valueOf(p), StandardCharsets.UTF_8);
    }
    return Long.toHexString(h.hash().asLong());
  }

  /** A hash of {@code value}'s JSON: the version of what is rendered from a part of a stored value. */
  static String ofJson(Object value) {
    return Hashing.murmur3_128().newHasher().putString(SCHEMA, StandardCharsets.UTF_8)
        .putBytes(io.tether.model.json.Json.write(value)).hash().toString();
  }

  /**
   * An assignment's version: its endpoints' ids and mod revisions, in id order, and which are DRAINING.
   * An operator's drain changes an endpoint's health and not its revision (registry/view/ServiceEntry),
   * so the health is part of the version; it is added for DRAINING only, so that other versions stay.
   */
  static String ofEndpoints(Map<String, Versioned<Endpoint>> endpoints) {
    Hasher h = Hashing.murmur3_128().newHasher().putString(SCHEMA, StandardCharsets.UTF_8);
    new TreeMap<>(endpoints).forEach((id, v) -> {
      h.putString(id, StandardCharsets.UTF_8).putLong(v.modRevision());
      if (v.value().health() == io.tether.model.Health.DRAINING) {
        h.putByte((byte) 1);
      }
    });
    return Long.toHexString(h.hash().asLong());
  }

  /** The version of a callee's rules: their names and mod revisions, in name order. */
  static <T> String ofRules(Map<String, Versioned<T>> rules) {
    Hasher h = Hashing.murmur3_128().newHasher().putString(SCHEMA, StandardCharsets.UTF_8);
    new TreeMap<>(rules).forEach((name, v) -> h.putString(name, StandardCharsets.UTF_8).putByte((byte) 0)
        .putLong(v.modRevision()));
    return Long.toHexString(h.hash().asLong());
  }
}
