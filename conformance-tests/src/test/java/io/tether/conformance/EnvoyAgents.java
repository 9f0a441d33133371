package io.tether.conformance;

import io.tether.registry.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code tether agent run} on this host beside a real Envoy, for the tests that need the agent's own Envoy. */
final class EnvoyAgents {
  private EnvoyAgents() {}

  /**
   * The command of an agent serving {@code a/web} with {@link HttpHostMain} (answering {@code taskId}) as its
   * app, on 127.0.0.1, with a 1 s drain and a 3 s lease; its token and work dir in {@code dir}.
   */
  static List<String> webTask(Mesh mesh, Path dir, String taskId, int appPort, int ingressPort, int adminPort)
      throws IOException {
    List<String> command = task(mesh, dir, "web", taskId, appPort, ingressPort, adminPort);
    command.addAll(List.of(HttpHostMain.class.getName(), taskId, Integer.toString(appPort)));
    return command;
  }

  /** As {@link #webTask}, for the grpc service {@code service} with {@link HostBackendMain} as its app. */
  static List<String> grpcTask(Mesh mesh, Path dir, String service, String taskId, int appPort, int ingressPort,
      int adminPort) throws IOException {
    List<String> command = task(mesh, dir, service, taskId, appPort, ingressPort, adminPort);
    command.addAll(List.of(HostBackendMain.class.getName(), taskId, Integer.toString(appPort), "300"));
    return command;
  }

  /** The agent's command up to the app's main class. */
  private static List<String> task(Mesh mesh, Path dir, String service, String taskId, int appPort, int ingressPort,
      int adminPort) throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, Mesh.AGENT_A);
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(List.of("--service", service, "--app-port", Integer.toString(appPort), "--ingress-port",
        Integer.toString(ingressPort), "--admin-port", Integer.toString(adminPort), "--address", "127.0.0.1",
        "--task-id", taskId, "--envoy-bin", Prerequisites.envoy().toString(), "--hosts-file", "none", "--drain-time",
        "1", "--lease-ttl", "3", "--work-dir", dir.resolve("work").toString(), "--"));
    command.addAll(TestProcesses.java(List.of()));
    return command;
  }
}
