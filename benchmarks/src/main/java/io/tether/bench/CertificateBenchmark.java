package io.tether.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.xds.identity.LeafIssuer;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.render.TrustDomain;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Certificate issuance rate on one thread (the publisher issues on its own one): leaves per second as
 * an Envoy group's first snapshot needs them (key pair, certificate, PEM, the SDS secret) and as a CSR
 * is signed (certificate only). Baseline in the same run: what an issuance cannot go below, a bare
 * EC P-256 key generation plus one ECDSA signature with the JDK.
 */
public final class CertificateBenchmark {
  private CertificateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 1 && args[0].equals("--leaves") ? Integer.parseInt(args[1]) : 2000;
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("usage: ./tether bench certificates [--leaves N]   (default 2000)");
      return;
    }
    System.out.printf("CertificateBenchmark: %d leaves, %d CPUs, load %.2f%n", n,
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    MeshCa ca = MeshCa.generate("bench.local", Instant.now());
    MeshIdentities ids = new MeshIdentities(new TrustDomain("bench.local"),
        new LeafIssuer(ca, Duration.ofHours(24), Clock.systemUTC(), new SimpleMeterRegistry()));
    PublicKey csrKey = MeshCa.ecKeyPair().getPublic();
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      boolean report = round == 1;
      double baseline = rate(n, i -> bare());
      double secrets = rate(n, i -> ids.leafSecret(TrustDomain.IDENTITY_SECRET, "spiffe://bench.local/ns/b/svc/s" + i + "-" + System.nanoTime()));
      double csr = rate(n, i -> ids.issuer().sign(csrKey, "spiffe://bench.local/ns/b/svc/s" + i));
      if (report) {
        System.out.printf("%-52s %10.0f /s%n", "baseline: JDK EC P-256 key pair + one signature", baseline);
        System.out.printf("%-52s %10.0f /s  (%.2fx baseline)%n", "identity secret (key, leaf, PEM, SDS Secret)",
            secrets, secrets / baseline);
        System.out.printf("%-52s %10.0f /s%n", "CSR signed (leaf only, key from the agent)", csr);
      }
    }
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  private static double rate(int n, Step step) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      step.run(i);
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static void bare() throws Exception {
    KeyPair pair = MeshCa.ecKeyPair();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(pair.getPrivate());
    s.update(new byte[256]);
    s.sign();
  }
}
