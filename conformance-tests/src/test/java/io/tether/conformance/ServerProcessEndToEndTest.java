package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import io.tether.main.TetherMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a newcomer does: {@code tether server} as a process (with its own local etcd), the operator CLI
 * to create a namespace and a service, and a stock grpc-java xDS client calling the service by name.
 */
class ServerProcessEndToEndTest {
  private final Path dataDir = TestEtcd.tempDir("e2e");
  private final int apiPort = Ports.free();
  private final int xdsPort = Ports.free();
  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void cliCreatedServiceIsServedToAGrpcJavaClientByTheServerProcess() throws Exception {
    server = TestChildren.start(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TetherMain.class.getName(), "server",
        "--data-dir", dataDir.toString(), "--api-host", "127.0.0.1", "--api-port", Integer.toString(apiPort),
        "--xds-host", "127.0.0.1", "--xds-port", Integer.toString(xdsPort),
        "--local-etcd-port", Integer.toString(Ports.free()), "--local-etcd-peer-port", Integer.toString(Ports.free()))
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile()));
    ApiClient anonymous = new ApiClient("http://127.0.0.1:" + apiPort, null);
    Poll.until(Duration.ofSeconds(60), () -> ready(anonymous), () -> "server ready; log:\n" + log());
    String token = Files.readString(dataDir.resolve("admin.token")).trim();

    Path spec = dataDir.resolve("greeter.json");
    Files.writeString(spec, "{\"discoveryName\":\"greeter\",\"portName\":\"grpc\",\"appProtocol\":\"grpc\","
        + "\"clientAliases\":[{\"dnsName\":\"greeter\",\"port\":50051}]}");
    assertThat(cli("ns", "create", "demo", "--token", token)).isZero();
    assertThat(cli("svc", "apply", "-n", "demo", "-f", spec.toString(), "--token", token)).isZero();

    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    List<EchoBackend> backends = List.of(new EchoBackend("g1", timer), new EchoBackend("g2", timer));
    try (XdsClient client = new XdsClient(xdsPort, "demo", token)) {
      ApiClient admin = new ApiClient("http://127.0.0.1:" + apiPort, token);
      for (EchoBackend b : backends) {
        admin.put("/v1/namespaces/demo/services/greeter/endpoints/" + b.name,
            "{\"address\":\"127.0.0.1\",\"port\":" + b.port() + "}").expect(201);
      }
      ManagedChannel channel = client.channel("greeter:50051");
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        answered.add(XdsClient.call(channel, 5_000));
      }
      assertThat(answered).containsExactlyInAnyOrder("g1", "g2");
    } finally {
      backends.forEach(EchoBackend::close);
      timer.shutdownNow();
    }
  }

  private int cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = "http://127.0.0.1:" + apiPort;
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new TetherMain()).setErr(new PrintWriter(err)).execute(all);
    if (exit != 0) {
      System.out.println("tether " + String.join(" ", args) + ": " + err);
    }
    return exit;
  }

  private static boolean ready(ApiClient api) {
    try {
      return api.get("/readyz").status() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private String log() {
    try {
      return Files.readString(dataDir.resolve("server.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
