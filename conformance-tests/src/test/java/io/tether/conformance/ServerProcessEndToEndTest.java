package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.main.TetherMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a newcomer does: {@code tether server} as a process (with its own local etcd), the operator CLI
 * to create a namespace and a service, and a stock grpc-java xDS client calling the service by name.
 */
class ServerProcessEndToEndTest {
  private final Path dataDir = TestEtcd.tempDir("e2e");
  private ServerProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void cliCreatedServiceIsServedToAGrpcJavaClientByTheServerProcess() throws Exception {
    server = ServerProcess.start(dataDir, dataDir, java.util.Map.of());
    String token = server.adminToken();

    Path spec = dataDir.resolve("greeter.json");
    Files.writeString(spec, "{\"discoveryName\":\"greeter\",\"portName\":\"grpc\",\"appProtocol\":\"grpc\","
        + "\"clientAliases\":[{\"dnsName\":\"greeter\",\"port\":50051}]}");
    assertThat(cli("ns", "create", "demo", "--token", token)).isZero();
    assertThat(cli("svc", "apply", "-n", "demo", "-f", spec.toString(), "--token", token)).isZero();

    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    List<EchoBackend> backends = List.of(new EchoBackend("g1", timer), new EchoBackend("g2", timer));
    try (XdsClient client = new XdsClient(server.xdsPort, "demo", token)) {
      ApiClient admin = new ApiClient(server.apiUrl(), token);
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
    all[args.length + 1] = server.apiUrl();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new TetherMain()).setErr(new PrintWriter(err)).execute(all);
    if (exit != 0) {
      System.out.println("tether " + String.join(" ", args) + ": " + err);
    }
    return exit;
  }
}
