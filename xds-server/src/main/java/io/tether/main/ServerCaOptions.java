package io.tether.main;

import io.tether.xds.identity.CaOptions;
import io.tether.xds.identity.Durations;
import io.tether.xds.render.TrustDomain;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code tether server}'s options of the mesh CA and its workload certificates (docs/security.md "The CA"):
 * the trust domain, the leaves' lifetime, and where the CA comes from.
 */
final class ServerCaOptions {
  @Option(names = "--trust-domain", paramLabel = "DOMAIN", description = "The mesh's SPIFFE trust domain, the same "
      + "on every replica (default: tether.local; docs/security.md)")
  String trustDomain = TrustDomain.DEFAULT.name();

  @Option(names = "--leaf-ttl", paramLabel = "DURATION", defaultValue = "24h",
      description = "Lifetime of the workload certificates, renewed at half life: 30s, 10m, 24h (at least 10s; "
          + "default: ${DEFAULT-VALUE})")
  String leafTtl;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "The mesh CA's certificate (PEM; an intermediate followed by its chain); with --ca-key, never written to etcd")
  Path caCert;

  @Option(names = "--ca-key", paramLabel = "FILE", description = "The private key of --ca-cert (PEM)")
  Path caKey;

  @Option(names = "--ca-key-encryption-key-file", paramLabel = "FILE", description = "AES-256 key (32 bytes, "
      + "base64) sealing the generated CA's key in etcd; without --etcd, default DATA-DIR/ca-encryption.key, created "
      + "on first start")
  Path caKeyEncryptionKeyFile;

  /**
   * The CA options, checked before anything starts. A server on its own local etcd ({@code localEtcd})
   * keeps a generated CA's encryption key in {@code dataDir}, created on first start.
   *
   * @throws IllegalArgumentException naming the option
   */
  CaOptions options(boolean localEtcd, Path dataDir) {
    Path keyFile = caKeyEncryptionKeyFile;
    boolean create = false;
    if (keyFile == null && caCert == null && localEtcd) {
      keyFile = dataDir.resolve("ca-encryption.key");
      create = true;
    }
    return new CaOptions(new TrustDomain(trustDomain), Durations.parse("--leaf-ttl", leafTtl), caCert, caKey, keyFile,
        create);
  }
}
