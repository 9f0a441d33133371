package io.tether.xds.identity;

import io.micrometer.core.instrument.MeterRegistry;
import io.tether.registry.store.RegistryStore;
import io.tether.xds.render.TrustDomain;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How {@code tether server} gets its CA (docs/security.md "The CA"): given files ({@code caCert},
 * {@code caKey}), or generated into etcd and sealed under {@code encryptionKeyFile}.
 *
 * @param encryptionKeyFile null only with given files
 * @param createEncryptionKey write a random key into {@code encryptionKeyFile} when it is missing (a
 *     server with its own local etcd, whose data directory holds both)
 */
public record CaOptions(TrustDomain trustDomain, Duration leafTtl, Path caCert, Path caKey, Path encryptionKeyFile,
    boolean createEncryptionKey) {
  public CaOptions {
    if ((caCert == null) != (caKey == null)) {
      throw new IllegalArgumentException("--ca-cert and --ca-key go together");
    }
    if (caCert == null && encryptionKeyFile == null) {
      throw new IllegalArgumentException("a server on a shared etcd needs --ca-key-encryption-key-file "
          + "(or --ca-cert and --ca-key)");
    }
    if (leafTtl.compareTo(CaSource.MIN_LEAF_TTL) < 0) {
      throw new IllegalArgumentException("--leaf-ttl must be at least " + CaSource.MIN_LEAF_TTL.toSeconds() + "s");
    }
  }

  /** Loads or creates the CA; an {@link IllegalArgumentException} with one line says why it cannot. */
  public MeshIdentities load(RegistryStore store, MeterRegistry meters) {
    Clock clock = Clock.systemUTC();
    MeshCa ca;
    if (caCert != null) {
      ca = CaSource.given(caCert, caKey, clock.instant());
    } else {
      CaKeyCipher cipher = createEncryptionKey ? CaKeyCipher.createIfAbsent(encryptionKeyFile)
          : CaKeyCipher.fromFile(encryptionKeyFile);
      ca = CaSource.generated(store.ca(), cipher, trustDomain.name(), clock.instant());
    }
    return new MeshIdentities(trustDomain, new LeafIssuer(ca, leafTtl, clock, meters));
  }
}
