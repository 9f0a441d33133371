package io.tether.xds.cache;

import com.google.common.hash.Hashing;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.nio.charset.StandardCharsets;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The resources of one type a group is served, by name, and a digest of their (name, version) pairs.
 * The digest is an XOR of per-resource hashes, so replacing one resource updates it in O(1) and two
 * replicas with the same resources compute the same type version whatever order they built them in.
 */
public record TypeResources(PMap<String, VersionedResource<?>> resources, long digest) {
  public static final TypeResources EMPTY = new TypeResources(HashTreePMap.empty(), 0);

  /** The SotW version_info of this type: the digest, in hex. */
  public String version() {
    return Long.toHexString(digest);
  }

  /** This type with one resource put ({@code resource != null}) or removed. */
  public TypeResources with(String name, VersionedResource<?> resource) {
    VersionedResource<?> old = resources.get(name);
    long d = digest;
    if (old != null) {
      d ^= hash(name, old.version());
    }
    if (resource == null) {
      return old == null ? this : new TypeResources(resources.minus(name), d);
    }
    return new TypeResources(resources.plus(name, resource), d ^ hash(name, resource.version()));
  }

  /**
   * The name to key a stream's own records by: the resource's name as the snapshot holds it, so that
   * thousands of streams holding a resource share one string, not each a copy parsed from its requests.
   */
  static String canonicalName(String requested, VersionedResource<?> resource) {
    String own = Resources.getResourceName(resource.resource());
    return own.equals(requested) ? own : requested;
  }

  private static long hash(String name, String version) {
    return Hashing.murmur3_128().newHasher()
        .putString(name, StandardCharsets.UTF_8).putByte((byte) 0).putString(version, StandardCharsets.UTF_8)
        .hash().asLong();
  }
}
