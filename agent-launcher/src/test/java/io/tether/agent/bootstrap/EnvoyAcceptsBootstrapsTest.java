package io.tether.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Envoy bootstrap the agent renders, as recorded in the golden files, is one a real Envoy
 * accepts: {@code envoy --mode validate} parses it and checks every field and file it names.
 * (The proxyless file is a grpc-java bootstrap, not Envoy's.)
 */
class EnvoyAcceptsBootstrapsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String CA_IN_GOLDEN = "/etc/tether/xds-ca.pem";

  static Stream<Path> envoyBootstraps() throws IOException {
    try (Stream<Path> files = Files.walk(GOLDEN)) {
      return files.filter(EnvoyAcceptsBootstrapsTest::isEnvoyBootstrap).sorted().toList().stream();
    }
  }

  private static boolean isEnvoyBootstrap(Path p) {
    String name = p.getFileName().toString();
    boolean bootstrapDir = p.getParent().getFileName().toString().equals("bootstrap");
    return (bootstrapDir && !name.startsWith("proxyless") && (name.endsWith(".json") || name.endsWith(".yaml")))
        || name.endsWith(".bootstrap.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envoyBootstraps")
  void envoyValidatesIt(Path golden) throws Exception {
    Path dir = TestEtcd.tempDir("validate");
    Path bootstrap = dir.resolve(golden.getFileName());
    Files.writeString(bootstrap, withRealFiles(Files.readString(golden), dir));
    Path out = dir.resolve("validate.log");
    Process envoy = new ProcessBuilder(Prerequisites.envoy().toString(), "--mode", "validate", "-c", bootstrap.toString(),
        "--concurrency", "1", "--log-level", "warn").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertThat(envoy.waitFor(60, TimeUnit.SECONDS)).as("envoy --mode validate finished").isTrue();
      String log = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(envoy.exitValue()).as(log).isZero();
      assertThat(log).contains("OK");
    } finally {
      envoy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Validation opens the files a bootstrap names: point the golden's xDS CA at a real certificate. */
  private static String withRealFiles(String bootstrap, Path dir) throws Exception {
    if (!bootstrap.contains(CA_IN_GOLDEN)) {
      return bootstrap;
    }
    Path ca = dir.resolve("ca.pem");
    Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "1", "-subj", "/CN=test-ca"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl minted a CA").isTrue();
    return bootstrap.replace(CA_IN_GOLDEN, ca.toString());
  }
}
