package io.tether.xds.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import io.tether.xds.render.TrustDomain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated CA in a real etcd: created once whoever starts first, kept across restarts, sealed. */
class CaInEtcdTest {
  @TempDir Path dir;

  @Test
  void twoReplicasStartingTogetherEndWithOneCaWhichSurvivesARestart() throws Exception {
    String prefix = TestEtcd.uniquePrefix();
    CaOptions options = generated(dir.resolve("ca-encryption.key"));
    try (TestRegistry a = replica(prefix); TestRegistry b = replica(prefix)) {
      CompletableFuture<MeshIdentities> onA = CompletableFuture.supplyAsync(() -> load(options, a));
      CompletableFuture<MeshIdentities> onB = CompletableFuture.supplyAsync(() -> load(options, b));
      MeshCa caA = onA.get().issuer().ca();
      MeshCa caB = onB.get().issuer().ca();
      assertThat(caA.certificate()).isEqualTo(caB.certificate());
      assertThat(caA.key().getEncoded()).isEqualTo(caB.key().getEncoded());

      String stored = String.join("\n", a.etcdContents().values());
      assertThat(a.etcdContents().keySet()).anyMatch(k -> k.startsWith(prefix + "ca/root@"));
      assertThat(stored).doesNotContain(Base64.getEncoder().encodeToString(caA.key().getEncoded()))
          .doesNotContain("PRIVATE KEY")
          .doesNotContain(Files.readString(dir.resolve("ca-encryption.key")).strip());
    }
    try (TestRegistry restarted = replica(prefix)) {
      MeshCa again = load(options, restarted).issuer().ca();
      try (TestRegistry other = replica(prefix)) {
        assertThat(again.certificate()).isEqualTo(load(options, other).issuer().ca().certificate());
      }
    }
  }

  @Test
  void aWrongEncryptionKeyIsOneClearLine() {
    String prefix = TestEtcd.uniquePrefix();
    try (TestRegistry r = replica(prefix)) {
      load(generated(dir.resolve("right.key")), r);
      assertThatThrownBy(() -> load(generated(dir.resolve("wrong.key")), r))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the mesh CA key in etcd (ca/root) does not decrypt with --ca-key-encryption-key-file: "
              + "it is not the key this mesh's CA was created with");
    }
  }

  @Test
  void aMissingEncryptionKeyFileOnASharedEtcdIsOneClearLine() {
    Path missing = dir.resolve("missing.key");
    try (TestRegistry r = replica(TestEtcd.uniquePrefix())) {
      CaOptions options = new CaOptions(TrustDomain.DEFAULT, Duration.ofHours(24), null, null, missing, false);
      assertThatThrownBy(() -> load(options, r)).hasMessage("cannot read the CA key encryption key file " + missing);
      assertThat(r.etcdContents()).isEmpty();
    }
  }

  @Test
  void givenCaFilesAreUsedAndNeverWrittenToEtcd() throws Exception {
    MeshCa operators = MeshCa.generate("tether.local", Instant.now());
    Path cert = Files.writeString(dir.resolve("ca.pem"), Pem.write(operators.certificate()));
    Path key = Files.writeString(dir.resolve("ca.key"), Pem.write(operators.key()));
    String prefix = TestEtcd.uniquePrefix();
    try (TestRegistry r = replica(prefix)) {
      CaOptions options = new CaOptions(TrustDomain.DEFAULT, Duration.ofHours(1), cert, key, null, false);
      MeshIdentities ids = load(options, r);
      assertThat(ids.issuer().ca().certificate()).isEqualTo(operators.certificate());
      assertThat(r.etcdContents().keySet()).noneMatch(k -> k.startsWith(prefix + "ca/"));
    }
  }

  private static CaOptions generated(Path keyFile) {
    return new CaOptions(TrustDomain.DEFAULT, Duration.ofHours(24), null, null, keyFile, true);
  }

  private static MeshIdentities load(CaOptions options, TestRegistry r) {
    return options.load(r.server().store(), new SimpleMeterRegistry());
  }

  private static TestRegistry replica(String prefix) {
    return new TestRegistry(List.of(TestEtcd.shared().clientUrl()), prefix);
  }
}
