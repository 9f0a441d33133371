package io.tether.agent.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The injected Envoy container's command and health check, run as ECS runs them: the command through
 * /bin/sh with the environment ECS gives the container (the carried bootstrap and the token from
 * {@code secrets}) and a stand-in {@code envoy} on PATH that reports what it was started with; the
 * health check through bash against a stand-in admin interface.
 */
class SidecarProcessTest {
  @TempDir
  Path dir;

  @Test
  void commandStartsEnvoyOnTheBootstrapWithTheTokenAndAFreshNodeIdReadableByItsOwnerOnly() throws Exception {
    Started first = start(Map.of("TETHER_TOKEN", "s3cret\"/+&\\token\n"));
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.envoyArgs()).containsExactly("-c", dir.resolve("tether-bootstrap.json").toString());
    Bootstrap bootstrap = InjectFixtures.parseStrictly(first.bootstrap());
    assertThat(bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getInitialMetadata(0).getValue())
        .isEqualTo("Bearer s3cret\"/+&\\token");
    assertThat(bootstrap.getNode().getId()).matches("payments-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(first.mode()).isEqualTo("600");

    Started second = start(Map.of("TETHER_TOKEN", "s3cret"));
    assertThat(InjectFixtures.parseStrictly(second.bootstrap()).getNode().getId()).isNotEqualTo(bootstrap.getNode().getId());
  }

  @Test
  void commandWithoutTheTokenFailsNamingTheSecretAndDoesNotStartEnvoy() throws Exception {
    Started started = start(Map.of("TETHER_TOKEN", ""));
    assertThat(started.exitCode()).isNotZero();
    assertThat(started.stderr()).contains("TETHER_TOKEN").contains("must hold the Tether agent token: see this "
        + "container's secrets");
    assertThat(Files.exists(dir.resolve("envoy.args"))).isFalse();
  }

  @Test
  void healthCheckPassesOnlyWhileEnvoysAdminSaysReady() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    admin.createContext("/ready", exchange -> {
      byte[] body = (status.get() == 200 ? "LIVE\n" : "PRE_INITIALIZING\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    admin.start();
    try {
      int port = admin.getAddress().getPort();
      assertThat(healthCheck(port)).as("while initializing").isNotZero();
      status.set(200);
      assertThat(healthCheck(port)).as("when ready").isZero();
    } finally {
      admin.stop(0);
    }
  }

  @Test
  void healthCheckFailsWhenNothingListensOnTheAdminPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(healthCheck(port)).isNotZero();
  }

  record Started(int exitCode, String stderr, List<String> envoyArgs, String bootstrap, String mode) {}

  /** Runs the container's command as ECS would, with a stand-in envoy that records its arguments and file. */
  private Started start(Map<String, String> secrets) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path envoy = bin.resolve("envoy");
    Files.writeString(envoy, "#!/bin/sh\n"
        + "printf '%s\\n' \"$@\" > \"" + dir.resolve("envoy.args") + "\"\n"
        + "cp \"$2\" \"" + dir.resolve("envoy.bootstrap") + "\"\n"
        + "stat -c %a \"$2\" > \"" + dir.resolve("envoy.mode") + "\"\n");
    Files.setPosixFilePermissions(envoy, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.deleteIfExists(dir.resolve("envoy.args"));

    JsonNode envoyContainer = InjectFixtures.envoy(InjectFixtures.inject(InjectFixtures.task(t -> { }),
        InjectFixtures.options().service(new ServiceRequest("app", "http", "payments", null))).document());
    List<String> command = InjectFixtures.toList(envoyContainer.get("command"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().clear();
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("TMPDIR", dir.toString());
    pb.environment().put("TETHER_BOOTSTRAP", envoyContainer.at("/environment/0/value").asText());
    pb.environment().putAll(secrets);
    Process p = pb.start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the command finished").isTrue();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!Files.exists(dir.resolve("envoy.args"))) {
      return new Started(p.exitValue(), stderr, List.of(), null, null);
    }
    return new Started(p.exitValue(), stderr, Files.readAllLines(dir.resolve("envoy.args")),
        Files.readString(dir.resolve("envoy.bootstrap")), Files.readString(dir.resolve("envoy.mode")).strip());
  }

  private static int healthCheck(int adminPort) throws IOException, InterruptedException {
    JsonNode envoyContainer = InjectFixtures.envoy(InjectFixtures.inject(InjectFixtures.task(t -> { }),
        InjectFixtures.options().adminPort(adminPort)).document());
    List<String> command = InjectFixtures.toList(envoyContainer.at("/healthCheck/command"));
    assertThat(command.get(0)).isEqualTo("CMD");
    Process p = new ProcessBuilder(command.subList(1, command.size())).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the health check finished").isTrue();
    return p.exitValue();
  }
}
