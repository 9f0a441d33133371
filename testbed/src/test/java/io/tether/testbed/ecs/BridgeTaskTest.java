package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.registry.testing.TestChildren;
import io.tether.testbed.SampleApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bridge-mode task of two containers on the emulated instance of host e1: the sample app (dynamic host
 * port for 8080, a health check) and a bash caller that waits for the app to be HEALTHY, then asks the task
 * metadata endpoint for its task and itself, calls a server on host e2 (out through MASQUERADE), the app
 * through e1's address and host port (hairpin) and by its link alias, printing what it got.
 */
class BridgeTaskTest {
  private static final String CALLER = """
      get() { exec 3<>/dev/tcp/$1/$2 || { echo "$3 FAILED"; return; }
        printf "GET $4 HTTP/1.0\\r\\nHost: $1\\r\\n\\r\\n" >&3
        body=$(tr -d '\\r' <&3 | sed '1,/^$/d' | tr -d '\\n'); exec 3<&-; echo "$3 $body"; }
      meta=${ECS_CONTAINER_METADATA_URI_V4#http://169.254.170.2}
      # The agent learns that this container runs a moment after it does: read the task once it is RUNNING.
      until get 169.254.170.2 80 T "$meta/task" | grep -q '"Revision":"1","DesiredStatus":"RUNNING","KnownStatus":"RUNNING"'; do
        sleep 0.1; done
      get 169.254.170.2 80 TASK "$meta/task"
      get 169.254.170.2 80 SELF "$meta"
      get "$OTHER_HOST" 9000 OTHER /
      port=$(get 169.254.170.2 80 T "$meta/task" | grep -o '"HostPort":[0-9]*' | head -1 | cut -d: -f2)
      get "$HOST_ADDRESS" "$port" HAIRPIN /
      get backend 8080 LINK /
      echo "HOSTNAME $(hostname) $(getent hosts "$(hostname)" | cut -d' ' -f1)"
      """ + EcsHosts.IDLE;

  private static EcsHosts hosts;
  private static Process other;
  private static String taskId;
  private static JsonNode running;
  private static long startMs;

  @BeforeAll
  static void setUp() {
    long start = System.nanoTime();
    hosts = new EcsHosts("bridge", Map.of(), EmulatedEcs.Options.defaults());
    other = TestChildren.start(new ProcessBuilder(hosts.net.exec(hosts.e2(), List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), SampleApp.class.getName(), "e2", "9000", "0.0.0.0"))).inheritIO());
    ObjectNode caller = Defs.dependsOn(Defs.bash("caller", CALLER), "app", "HEALTHY");
    caller.putArray("links").add("app:backend");
    caller.withArray("environment").addObject().put("name", "OTHER_HOST").put("value", hosts.e2().address());
    caller.withArray("environment").addObject().put("name", "HOST_ADDRESS").put("value", hosts.e1().address());
    ObjectNode app = Defs.httpCheck(Defs.port(Defs.app("app", "app"), 8080, 0), 8080, 1, 3);
    taskId = hosts.ecs.runTask(Defs.task("web", "bridge", app, Defs.essential(caller, false)));
    running = hosts.await(taskId, "RUNNING", Duration.ofSeconds(60));
    startMs = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("BridgeTaskTest: hosts, stand-in and a RUNNING two-container task in %d ms%n", startMs);
  }

  @AfterAll
  static void tearDown() {
    if (other != null) {
      other.destroyForcibly();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void theIntrospectionApiListsTheTaskWithItsContainersAndHostPort() {
    JsonNode tasks = hosts.ecs.introspection("/v1/tasks").json();
    Shapes.assertSameShape(tasks, Shapes.fixture("introspection-tasks-bridge.json"));
    JsonNode task = tasks.path("Tasks").get(0);
    assertThat(task.path("Arn").asText()).endsWith("/" + taskId).startsWith("arn:aws:ecs:us-east-1:111122223333:task/default/");
    assertThat(task.path("KnownStatus").asText()).isEqualTo("RUNNING");
    assertThat(task.path("DesiredStatus").asText()).isEqualTo("RUNNING");
    assertThat(task.path("Family").asText()).isEqualTo("web");
    assertThat(task.path("Version").asText()).isEqualTo("1");
    JsonNode app = task.path("Containers").get(0);
    assertThat(app.path("DockerId").asText()).matches("[0-9a-f]{64}");
    assertThat(app.path("DockerName").asText()).matches("ecs-web-1-app-[0-9a-f]{20}");
    assertThat(app.path("Ports").get(0).path("HostPort").asInt()).isBetween(32768, 60999);

    String dockerId = app.path("DockerId").asText();
    for (String query : List.of("?taskarn=" + task.path("Arn").asText(), "?dockerid=" + dockerId, "?dockerid=" + dockerId.substring(0, 12))) {
      NetnsHttp.Response one = hosts.ecs.introspection("/v1/tasks" + query);
      assertThat(one.status()).as(query).isEqualTo(200);
      assertThat(one.json().path("Arn").asText()).isEqualTo(task.path("Arn").asText());
    }
    NetnsHttp.Response none = hosts.ecs.introspection("/v1/tasks?dockerid=" + "0".repeat(64));
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.json()).isEqualTo(IntrospectionJson.emptyTask());
    JsonNode metadata = hosts.ecs.introspection("/v1/metadata").json();
    assertThat(metadata.path("Cluster").asText()).isEqualTo("default");
    assertThat(metadata.path("ContainerInstanceArn").asText()).startsWith("arn:aws:ecs:us-east-1:111122223333:container-instance/default/");
    assertThat(metadata.path("Version").asText()).startsWith("Amazon ECS Agent - v");
  }

  @Test
  void aContainerReadsItsTaskAndItselfFromTheTaskMetadataEndpoint() throws Exception {
    JsonNode task = GoJson.MAPPER.readTree(hosts.awaitLine("caller", "TASK ", Duration.ofSeconds(30)));
    Shapes.assertSameShape(task, Shapes.fixture("task-metadata-v4-task-bridge.json"));
    assertThat(task.path("TaskARN").asText()).endsWith("/" + taskId);
    assertThat(task.path("LaunchType").asText()).isEqualTo("EXTERNAL");
    JsonNode app = EcsHosts.metadataContainer(task, "app").orElseThrow();
    assertThat(app.path("Networks").get(0).path("NetworkMode").asText()).isEqualTo("bridge");
    assertThat(app.path("Networks").get(0).path("IPv4Addresses").get(0).asText()).startsWith("172.17.0.");
    assertThat(app.path("Ports").get(0).path("HostPort").asInt()).isEqualTo(hostPort());
    assertThat(app.path("Labels").path("com.amazonaws.ecs.task-arn").asText()).isEqualTo(task.path("TaskARN").asText());
    assertThat(app.path("Health").path("status").asText()).isEqualTo("HEALTHY");

    JsonNode self = GoJson.MAPPER.readTree(hosts.awaitLine("caller", "SELF ", Duration.ofSeconds(30)));
    Shapes.assertSameShape(self, Shapes.fixture("task-metadata-v4-container-bridge.json"));
    assertThat(self.path("Name").asText()).isEqualTo("caller");
    assertThat(self.has("Health")).as("no health check, no Health").isFalse();
  }

  @Test
  void theAppAnswersAtTheHostPortFromAnotherHostFromTheHostAndFromLoopback() {
    int port = hostPort();
    assertThat(NetnsHttp.get(hosts.net, hosts.e2(), hosts.e1().address(), port, "/").body()).isEqualTo("app\n");
    assertThat(NetnsHttp.get(hosts.net, hosts.e1(), hosts.e1().address(), port, "/").body()).isEqualTo("app\n");
    assertThat(NetnsHttp.get(hosts.net, hosts.e1(), "127.0.0.1", port, "/").body()).isEqualTo("app\n");
    String rules = Commands.inNetns(hosts.e1().netns()).run(Commands.IPTABLES, "-t", "nat", "-S");
    assertThat(rules).contains("-A PREROUTING -m addrtype --dst-type LOCAL -j TETHER-DOCKER",
        "-A OUTPUT -m addrtype --dst-type LOCAL -j TETHER-DOCKER",
        "--dport " + port + " -j DNAT --to-destination " + EcsHosts.container(running, "app").path("ip").asText() + ":8080",
        "-A TETHER-POSTROUTING -s 172.17.0.0/16 ! -o tdocker0 -j MASQUERADE");
  }

  @Test
  void aContainerReachesAnotherHostAndTheAppThroughItsHostPort() {
    assertThat(hosts.awaitLine("caller", "OTHER ", Duration.ofSeconds(30))).isEqualTo("e2");
    assertThat(hosts.awaitLine("caller", "HAIRPIN ", Duration.ofSeconds(30))).isEqualTo("app");
  }

  @Test
  void aContainerHasItsOwnHostnameAndResolvesItsLinks() {
    JsonNode callerView = EcsHosts.container(running, "caller");
    assertThat(hosts.awaitLine("caller", "HOSTNAME ", Duration.ofSeconds(30)))
        .isEqualTo(callerView.path("dockerId").asText().substring(0, 12) + " " + callerView.path("ip").asText());
    assertThat(hosts.awaitLine("caller", "LINK ", Duration.ofSeconds(30))).isEqualTo("app");
  }

  @Test
  void theDependentStartedOnlyOnceTheAppWasHealthy() throws Exception {
    JsonNode task = GoJson.MAPPER.readTree(hosts.awaitLine("caller", "TASK ", Duration.ofSeconds(30)));
    JsonNode app = EcsHosts.metadataContainer(task, "app").orElseThrow();
    JsonNode caller = EcsHosts.metadataContainer(task, "caller").orElseThrow();
    Instant healthy = Instant.parse(app.path("Health").path("statusSince").asText());
    assertThat(Instant.parse(caller.path("StartedAt").asText())).isAfterOrEqualTo(healthy);
    assertThat(Instant.parse(caller.path("CreatedAt").asText())).isAfterOrEqualTo(healthy);
  }

  private static int hostPort() {
    List<Integer> ports = new ArrayList<>();
    EcsHosts.container(running, "app").path("hostPorts").forEach(p -> ports.add(p.path("hostPort").asInt()));
    assertThat(ports).hasSize(1);
    return ports.get(0);
  }
}
