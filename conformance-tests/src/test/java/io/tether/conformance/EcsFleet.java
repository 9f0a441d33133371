package io.tether.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.agent.AgentMain;
import io.tether.agent.inject.InjectOptions;
import io.tether.agent.inject.ServiceRequest;
import io.tether.agent.inject.TaskDefinitionInjector;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import io.tether.testbed.NetnsHosts;
import io.tether.testbed.SampleApp;
import io.tether.testbed.ecs.EmulatedEcs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three emulated ECS Anywhere container instances ({@code ea}, {@code eb}, {@code ec}), each a test host
 * with its emulated ECS agent and Docker ({@link EmulatedEcs}) and a real {@code tether agent host} beside
 * it, configured as docs/ecs.md's one-time host set-up says; a control plane in the root namespace. Tasks
 * are the very definitions {@code tether agent inject} prints. Images are local commands, given per host
 * so that an app's answer names its host: {@code example/web} and {@code example/late} (a bridge-mode
 * {@link SampleApp} on 0.0.0.0), {@code example/api} (host mode, on the host's 127.0.0.1:8091),
 * {@code example/caller} ({@link HttpCallerMain}: the definition's command is URL, COUNT, PAUSE_MS) and
 * {@code tether/sidecar} (the agent's {@code ecs-task} with the test's Envoy).
 */
final class EcsFleet implements AutoCloseable {
  static final String NS = "a";
  static final List<String> HOSTS = List.of("ea", "eb", "ec");
  static final int WEB_PORT = 8081;
  static final int API_PORT = 8091;
  static final long APP_DRAIN_MS = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final NetnsHosts net;
  final Mesh mesh;
  private final Map<String, EmulatedEcs> instances = new LinkedHashMap<>();
  private final List<Process> hostAgents = new ArrayList<>();

  EcsFleet() throws Exception {
    Prerequisites.envoy();
    Prerequisites.testHosts(EmulatedEcs.unavailable());
    dir = TestChildren.tempDir("ecs-fleet");
    net = new NetnsHosts(HOSTS);
    try {
      mesh = new Mesh(net.host("ea").rootAddress());
      mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
      for (String h : HOSTS) {
        NetnsHosts.Host host = net.host(h);
        Path etc = Path.of("/etc/netns", host.netns());
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
        instances.put(h, EmulatedEcs.start(net, host, images(h), Map.of(),
            EmulatedEcs.Options.defaults().withWorkDir(dir.resolve(h))));
        hostAgents.add(startHostAgent(host));
      }
      Poll.until(Duration.ofSeconds(60), () -> egressNodes() == HOSTS.size(), "every host agent's Envoy connected");
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  EmulatedEcs ecs(String host) {
    return instances.get(host);
  }

  /** {@code tether agent inject} of {@code definition}, serving {@code services} ({@code CONTAINER:PORTNAME:NAME}). */
  static JsonNode inject(String definition, String... services) throws IOException {
    InjectOptions.Builder options = InjectOptions.builder().namespace(NS).drainSeconds(2).leaseTtl(5);
    for (String s : services) {
      String[] p = s.split(":");
      options.service(new ServiceRequest(p[0], p[1], p[2], null));
    }
    return TaskDefinitionInjector.inject(JSON.readTree(definition), options.build()).document();
  }

  /** A service of the namespace with an alias {@code name:8080}, checked by the Tether health check on /health. */
  void createService(String name) {
    mesh.api.put("/v1/namespaces/" + NS + "/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":8080}],\"healthCheck\":{\"protocol\":\"http\","
        + "\"path\":\"/health\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,"
        + "\"unhealthyThreshold\":2}}").expect(201);
  }

  /** The endpoint {@code taskId} of {@code service} as the registry has it, or null. */
  JsonNode endpoint(String service, String taskId) {
    var r = mesh.api.get("/v1/namespaces/" + NS + "/services/" + service + "/endpoints/" + taskId);
    return r.status() == 200 ? r.body() : null;
  }

  String health(String service, String taskId) {
    JsonNode e = endpoint(service, taskId);
    return e == null ? null : e.path("health").asText("HEALTHY");
  }

  private int egressNodes() {
    int n = 0;
    for (JsonNode p : mesh.api.get("/v1/proxies?namespace=" + NS).body().path("items")) {
      n += p.path("stream").path("nodeId").asText().startsWith("host-") ? 1 : 0;
    }
    return n;
  }

  /**
   * {@code tether agent run} of {@code runweb} on {@code host}, beside the ECS tasks, for the same figures
   * measured the same way: the task's id is the host's name.
   */
  Process startAgentRun(String host) throws IOException {
    Path token = dir.resolve(host + "-agent.token");
    List<String> command = mesh.agentCommand(token, NS);
    command.addAll(List.of("--service", "runweb", "--app-port", "8085", "--ingress-port", "15020", "--admin-port",
        "9920", "--address", net.host(host).address(), "--task-id", host, "--envoy-bin", Prerequisites.envoy().toString(),
        "--hosts-file", "none", "--drain-time", "2", "--lease-ttl", "5", "--work-dir",
        dir.resolve(host + "-agent-run").toString(), "--"));
    command.addAll(TestProcesses.java(List.of("-Xmx48m", "-XX:+UseSerialGC")));
    command.addAll(List.of(SampleApp.class.getName(), host + "-runweb", "8085"));
    ProcessBuilder pb = new ProcessBuilder(net.exec(net.host(host), command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve(host + "-agent-run.log").toFile());
    Process p = TestProcesses.spawn(pb);
    hostAgents.add(p);
    return p;
  }

  private Process startHostAgent(NetnsHosts.Host host) throws IOException {
    Path token = dir.resolve(host.name() + "-agent.token");
    Files.writeString(token, Mesh.AGENT_A);
    Path config = dir.resolve(host.name() + "-host.yaml");
    Files.writeString(config, String.join("\n",
        "server: " + mesh.apiUrl(),
        "tokenFile: " + token,
        "namespace: " + NS,
        "address: " + host.address(),
        "xds: " + net.host("ea").rootAddress() + ":" + mesh.xdsPort(),
        "vipRange: 100.127.0.0/16",
        "envoyBin: " + Prerequisites.envoy(),
        "workDir: " + dir.resolve(host.name() + "-host-agent"),
        ""));
    List<String> command = new ArrayList<>(TestProcesses.java(List.of("-Xmx96m")));
    command.addAll(List.of(AgentMain.class.getName(), "host", "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(net.exec(host, command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve(host.name() + "-host-agent.log").toFile());
    return TestProcesses.spawn(pb);
  }

  /** The image table of one host: what each image runs, as that host's Docker would. */
  private Path images(String host) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<String> jvm = List.of(java, "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-cp", cp);
    ObjectNode table = JSON.createObjectNode();
    // Apps that keep serving for DRAIN_MS after SIGTERM, as docs/ecs.md asks of an ECS task's app.
    String drain = Long.toString(APP_DRAIN_MS);
    image(table, "example/web:1", jvm, SampleApp.class.getName(), List.of(host + "-web", "" + WEB_PORT, "0.0.0.0", drain));
    image(table, "example/late:1", jvm, SampleApp.class.getName(), List.of(host + "-late", "" + WEB_PORT, "0.0.0.0", drain));
    image(table, "example/api:1", jvm, SampleApp.class.getName(), List.of(host + "-api", "" + API_PORT, "127.0.0.1", drain));
    // The JVM caches failed lookups for 10 s (java.security's networkaddress.cache.negative.ttl): the
    // caller turns that off, so that what is measured is how soon Tether serves a new alias.
    Path security = dir.resolve("no-dns-cache.security");
    Files.writeString(security, "networkaddress.cache.ttl=0\nnetworkaddress.cache.negative.ttl=0\n");
    List<String> caller = new ArrayList<>(jvm);
    caller.add(1, "-Djava.security.properties=" + security);
    image(table, "example/caller:1", caller, HttpCallerMain.class.getName(), List.of());
    ObjectNode sidecar = image(table, "tether/sidecar:0.1.0",
        List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp), AgentMain.class.getName(),
        List.of("ecs-task"));
    sidecar.putObject("env").put("ENVOY_BIN", Prerequisites.envoy().toString());
    Path file = dir.resolve(host + "-images.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), table);
    return file;
  }

  private static ObjectNode image(ObjectNode table, String name, List<String> jvm, String main, List<String> cmd) {
    ObjectNode image = table.putObject(name);
    var entrypoint = image.putArray("entrypoint");
    jvm.forEach(entrypoint::add);
    entrypoint.add(main);
    var c = image.putArray("cmd");
    cmd.forEach(c::add);
    return image;
  }

  @Override
  public void close() {
    hostAgents.forEach(p -> {
      p.destroy();
      try {
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    });
    instances.values().forEach(EmulatedEcs::close);
    if (mesh != null) {
      mesh.close();
    }
    net.close();
  }
}
