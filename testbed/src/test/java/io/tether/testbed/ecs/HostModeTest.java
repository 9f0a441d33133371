package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.registry.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A host-mode task (what {@code inject} makes for host mode): {@code copy} gets Docker's copy of the host's
 * /etc/hosts, taken when it was created; {@code mounted} bind-mounts the host's file read-only, so a change
 * made in place reaches it; {@code web} serves on the host's own port 8080. A container's files are read as
 * {@code docker exec} would, in its mount namespace.
 */
class HostModeTest {
  private static final String BEFORE = "10.9.9.1\tbefore-start\n";
  private static final String AFTER = "10.9.9.2\tafter-start\n";
  /** Reads its task from the metadata endpoint until the task is RUNNING, and prints it. */
  private static final String READER = """
      task() { exec 3<>/dev/tcp/169.254.170.2/80
        printf "GET ${ECS_CONTAINER_METADATA_URI_V4#http://169.254.170.2}/task HTTP/1.0\\r\\n\\r\\n" >&3
        tr -d '\\r' <&3 | sed '1,/^$/d' | tr -d '\\n'; exec 3<&-; }
      until task | grep -q '"Revision":"1","DesiredStatus":"RUNNING","KnownStatus":"RUNNING"'; do sleep 0.1; done
      echo "TASK $(task)"
      """ + EcsHosts.IDLE;

  private static EcsHosts hosts;
  private static Path hostsFile;
  private static String taskId;
  private static JsonNode running;

  @BeforeAll
  static void setUp() throws IOException {
    hosts = new EcsHosts("host", Map.of(), EmulatedEcs.Options.defaults());
    hostsFile = Path.of("/etc/netns", hosts.e1().netns(), "hosts");
    Files.writeString(hostsFile, BEFORE, StandardOpenOption.APPEND);
    ObjectNode mounted = Defs.bash("mounted", EcsHosts.IDLE);
    mounted.withArray("mountPoints").addObject().put("sourceVolume", "tether-hosts").put("containerPath", "/etc/hosts")
        .put("readOnly", true);
    ObjectNode web = Defs.port(Defs.app("web", "web"), 8080, 8080);
    ObjectNode td = Defs.task("hostnet", "host", Defs.bash("copy", READER), mounted, web);
    td.withArray("volumes").addObject().put("name", "tether-hosts").putObject("host").put("sourcePath", "/etc/hosts");
    taskId = hosts.ecs.runTask(td);
    running = hosts.await(taskId, "RUNNING", Duration.ofSeconds(60));
  }

  @AfterAll
  static void tearDown() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void aCopyOfTheHostsFileStaysAsItWasAndTheMountedOneFollowsTheHost() throws IOException {
    assertThat(containerFile("copy", "/etc/hosts")).contains("before-start");
    assertThat(containerFile("mounted", "/etc/hosts")).contains("before-start");
    String now = Files.readString(hostsFile);
    Files.writeString(hostsFile, now + AFTER, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE); // in place
    assertThat(containerFile("mounted", "/etc/hosts")).contains("before-start", "after-start");
    assertThat(containerFile("copy", "/etc/hosts")).contains("before-start").doesNotContain("after-start");
    Commands.Result write = Commands.here().attempt(Commands.NSENTER, "-t", pid("mounted"), "-m", "--", Commands.SH, "-c",
        "echo x >> /etc/hosts");
    assertThat(write.ok()).as("read-only: " + write.output()).isFalse();
  }

  @Test
  void theMetadataEndpointAnswersAHostModeContainerWithoutPortsAndWithItsMount() throws IOException {
    JsonNode task = GoJson.MAPPER.readTree(hosts.awaitLine("copy", "TASK ", Duration.ofSeconds(30)));
    Shapes.assertSameShape(task, Shapes.fixture("task-metadata-v4-task-host.json"));
    JsonNode web = EcsHosts.metadataContainer(task, "web").orElseThrow();
    assertThat(web.has("Ports")).as("Docker publishes no ports on the host network").isFalse();
    assertThat(web.path("Networks").toString()).isEqualTo("[{\"NetworkMode\":\"host\",\"IPv4Addresses\":[\"\"]}]");
    JsonNode mounted = EcsHosts.metadataContainer(task, "mounted").orElseThrow();
    assertThat(mounted.path("Volumes").toString()).isEqualTo("[{\"Source\":\"/etc/hosts\",\"Destination\":\"/etc/hosts\"}]");

    JsonNode introspected = hosts.ecs.introspection("/v1/tasks").json();
    Shapes.assertSameShape(introspected, Shapes.fixture("introspection-tasks-host.json"));
    JsonNode ports = introspected.path("Tasks").get(0).path("Containers").get(2).path("Ports");
    assertThat(ports.toString()).isEqualTo("[{\"ContainerPort\":8080,\"Protocol\":\"tcp\",\"HostPort\":8080}]");
  }

  @Test
  void theAppServesOnTheHostsOwnPort() {
    Poll.until(Duration.ofSeconds(30), () -> NetnsHttp.get(hosts.net, hosts.e2(), hosts.e1().address(), 8080, "/").body()
        .equals("web\n"), "web answers at e1:8080 from e2");
  }

  @Test
  void dockerRefusesDnsServersWithTheHostNetwork() {
    ObjectNode c = Defs.bash("dns", EcsHosts.IDLE);
    c.putArray("dnsServers").add("172.17.0.1");
    String id = hosts.ecs.runTask(Defs.task("hostdns", "host", c));
    JsonNode stopped = hosts.await(id, "STOPPED", Duration.ofSeconds(20));
    assertThat(stopped.path("stoppedReason").asText()).contains("conflicting options: dns and the network mode");
  }

  /** A file as the container sees it ({@code docker exec NAME cat FILE}). */
  private static String containerFile(String container, String file) {
    return Commands.here().run(Commands.NSENTER, "-t", pid(container), "-m", "--", "cat", file);
  }

  private static String pid(String container) {
    return EcsHosts.container(running, container).path("pid").asText();
  }
}
