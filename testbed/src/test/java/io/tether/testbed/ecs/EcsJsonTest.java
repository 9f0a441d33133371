package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON as Go writes the agent's structs, in the states a test host rarely catches, and Docker's resolv.conf. */
class EcsJsonTest {
  private static final TaskMetadataJson.Instance INSTANCE = new TaskMetadataJson.Instance("default", null);

  @Test
  void timesAreRfc3339WithNanosecondsAndNoTrailingZeros() {
    assertThat(GoJson.time(Instant.parse("2026-12-02T03:21:48.120Z"))).isEqualTo("2026-12-02T03:21:48.12Z");
    assertThat(GoJson.time(Instant.parse("2026-12-02T03:21:48Z"))).isEqualTo("2026-12-02T03:21:48Z");
    assertThat(GoJson.time(Instant.parse("2026-12-02T03:21:48.000000001Z"))).isEqualTo("2026-12-02T03:21:48.000000001Z");
    ObjectNode n = GoJson.object();
    GoJson.number(n, "a", 2);
    GoJson.number(n, "b", 0.25);
    assertThat(n.toString()).isEqualTo("{\"a\":2,\"b\":0.25}");
  }

  @Test
  void aPulledContainerIsListedWithoutDockerIdAndAWaitingOneNotAtAll() {
    EcsTask t = task(Defs.bash("first", "x"), Defs.dependsOn(Defs.bash("second", "x"), "first", "START"));
    t.containers.forEach(c -> c.known = ContainerStatus.MANIFEST_PULLED);
    EcsContainer first = t.container("first");
    first.known = ContainerStatus.PULLED;
    first.image = ImageTable.parse(GoJson.object().set("bash", GoJson.object().set("cmd", GoJson.array().add("x"))))
        .find("bash").orElseThrow();
    JsonNode json = TaskMetadataJson.task(t, INSTANCE, true);
    assertThat(json.path("Containers")).hasSize(1);
    JsonNode pulled = json.path("Containers").get(0);
    assertThat(pulled.path("DockerId").asText()).isEmpty();
    assertThat(pulled.path("KnownStatus").asText()).isEqualTo("PULLED");
    assertThat(pulled.has("Networks") || pulled.has("Labels") || pulled.has("CreatedAt")).isFalse();
    assertThat(IntrospectionJson.task(t).path("Containers")).as("introspection: created containers only").isEmpty();
    assertThat(IntrospectionJson.task(t).path("KnownStatus").asText()).isEqualTo("PENDING");
  }

  @Test
  void aStoppedBridgeContainerHasNoAddressLeftAndAnExitCode() {
    EcsTask t = task(Defs.bash("c", "x"));
    EcsContainer c = t.container("c");
    c.dockerId = "d".repeat(64);
    c.ip = "172.17.0.2";
    c.startedAt = Instant.now();
    c.exited(0, Instant.now());
    JsonNode json = TaskMetadataJson.container(t, c, true);
    assertThat(json.path("Networks").toString()).isEqualTo("[{\"NetworkMode\":\"bridge\",\"IPv4Addresses\":[\"\"]}]");
    assertThat(json.path("ExitCode").asInt()).isZero();
    assertThat(json.path("DesiredStatus").asText()).isEqualTo("STOPPED");
  }

  @Test
  void taskLimitsComeFromTheDefinitionsCpuAndMemoryInEitherNotation() {
    ObjectNode td = Defs.task("f", "bridge", Defs.bash("c", "x")).put("cpu", "256").put("memory", "1 GB");
    JsonNode limits = TaskMetadataJson.task(new EcsTask("id", "arn", TaskDefinition.parse(td), ids()), INSTANCE, true).path("Limits");
    assertThat(limits.toString()).isEqualTo("{\"CPU\":0.25,\"Memory\":1024}");
    ObjectNode vcpu = Defs.task("f", "bridge", Defs.bash("c", "x")).put("cpu", "2 vCPU");
    assertThat(TaskMetadataJson.task(new EcsTask("id", "arn", TaskDefinition.parse(vcpu), ids()), INSTANCE, true)
        .path("Limits").toString()).isEqualTo("{\"CPU\":2}");
    assertThat(TaskMetadataJson.task(task(Defs.bash("c", "x")), INSTANCE, true).has("Limits")).isFalse();
  }

  @Test
  void v3LeavesOutWhatV4Added() {
    EcsTask t = task(Defs.bash("c", "x"));
    JsonNode v3 = TaskMetadataJson.task(t, INSTANCE, false);
    assertThat(v3.has("LaunchType") || v3.has("FaultInjectionEnabled")).isFalse();
    JsonNode v4 = TaskMetadataJson.task(t, INSTANCE, true);
    assertThat(v4.path("LaunchType").asText()).isEqualTo("EXTERNAL");
    assertThat(v4.path("FaultInjectionEnabled").asBoolean(true)).isFalse();
  }

  @Test
  void aBridgeContainersResolvConfIsTheHostsWithoutLoopbackResolversOrItsDnsServers() {
    String host = "# managed\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n";
    ContainerDefinition plain = ContainerDefinition.parse(Defs.bash("c", "x"));
    assertThat(ContainerFiles.bridgeResolvConf(host, plain)).isEqualTo("search corp.example\nnameserver 10.0.0.2\noptions edns0\n");
    assertThat(ContainerFiles.bridgeResolvConf("nameserver 127.0.0.53\n", plain))
        .as("Docker's fallback").isEqualTo("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    ObjectNode withDns = Defs.bash("c", "x");
    withDns.putArray("dnsServers").add("172.17.0.1");
    withDns.putArray("dnsSearchDomains").add("svc.local");
    assertThat(ContainerFiles.bridgeResolvConf(host, ContainerDefinition.parse(withDns)))
        .isEqualTo("search svc.local\nnameserver 172.17.0.1\noptions edns0\n");
  }

  @Test
  void netnsHttpReadsStatusAndBody() {
    NetnsHttp.Response r = NetnsHttp.parse("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n\"no\"");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("\"no\"");
    assertThat(NetnsHttp.parse("bash: connect: Connection refused").status()).isZero();
  }

  private static EcsTask task(ObjectNode... containers) {
    return new EcsTask("id", "arn", TaskDefinition.parse(Defs.task("f", "bridge", containers)), ids());
  }

  private static Ids ids() {
    return new Ids("us-east-1", "111122223333", "default");
  }
}
