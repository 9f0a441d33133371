package io.tether.xds.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues the mesh's leaves (docs/security.md "Certificates over SDS"): one per identity, kept until half
 * its life has passed, then issued anew. Callers issue off the gRPC threads (the publisher's thread, or
 * a REST worker for a CSR). Counts issuance and gauges the soonest expiry of the leaves it holds
 * (docs/metrics.md).
 *
 * <p>Thread-safe: the cache is a concurrent map; two callers racing on a renewal may both issue, and
 * the later one is kept, which is harmless.
 */
public final class LeafIssuer {
  private final MeshCa ca;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Leaf> leaves = new ConcurrentHashMap<>();
  /** Counts the leaves put in {@link #leaves}: a holder of older leaves sees it move. */
  private final AtomicLong generation = new AtomicLong();
  private final Counter issued;

  public LeafIssuer(MeshCa ca, Duration ttl, Clock clock, MeterRegistry meters) {
    if (ttl.compareTo(CaSource.MIN_LEAF_TTL) < 0) {
      throw new IllegalArgumentException("--leaf-ttl must be at least " + CaSource.MIN_LEAF_TTL.toSeconds() + "s");
    }
    this.ca = ca;
    this.ttl = ttl;
    this.clock = clock;
    this.issued = Counter.builder("tether.certificates.issued").description("leaf certificates the mesh CA signed")
        .register(meters);
    Gauge.builder("tether.certificate.expiry", this, LeafIssuer::soonestExpirySeconds).baseUnit("seconds")
        .description("seconds until the soonest expiry among the leaves this replica serves").register(meters);
  }

  public MeshCa ca() {
    return ca;
  }

  /** The identity's leaf: the one held, or a new one when none is held or half its life has passed. */
  public Leaf current(String spiffeId) {
    Instant now = clock.instant();
    Leaf held = leaves.get(spiffeId);
    if (held != null && now.isBefore(held.renewAt())) {
      return held;
    }
    KeyPair pair = MeshCa.ecKeyPair();
    X509Certificate cert = sign(pair.getPublic(), spiffeId, now);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(cert);
    chain.addAll(ca.intermediates());
    Leaf leaf = new Leaf(spiffeId, chain, pair.getPrivate(), halfLife(now, cert));
    leaves.put(spiffeId, leaf);
    generation.incrementAndGet();
    return leaf;
  }

  /** A certificate for a key another host holds (a CSR's): not cached, the caller renews by asking again. */
  public List<X509Certificate> sign(PublicKey key, String spiffeId) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(sign(key, spiffeId, clock.instant()));
    chain.addAll(ca.intermediates());
    return chain;
  }

  /** Forgets the leaves of identities no longer served; returns nothing. */
  public void retain(Set<String> spiffeIds) {
    leaves.keySet().retainAll(spiffeIds);
  }

  /** How many leaves were issued into the held set so far: unchanged, no held leaf was replaced. */
  public long generation() {
    return generation.get();
  }

  /** Whether some held leaf is past half its life, so that the next {@link #current} of it issues anew. */
  public boolean renewalDue() {
    Instant now = clock.instant();
    return leaves.values().stream().anyMatch(leaf -> !now.isBefore(leaf.renewAt()));
  }

  private X509Certificate sign(PublicKey key, String spiffeId, Instant now) {
    X509Certificate cert = ca.issue(key, spiffeId, now.minusSeconds(1), ttl);
    issued.increment();
    return cert;
  }

  /** Half the life left from issuance (notBefore is a second earlier, for clocks slightly behind). */
  private static Instant halfLife(Instant issued, X509Certificate cert) {
    return issued.plus(Duration.between(issued, cert.getNotAfter().toInstant()).dividedBy(2));
  }

  private double soonestExpirySeconds() {
    Instant now = clock.instant();
    return leaves.values().stream().mapToDouble(l -> Duration.between(now, l.notAfter()).toMillis() / 1000.0)
        .min().orElse(Double.NaN);
  }
}
