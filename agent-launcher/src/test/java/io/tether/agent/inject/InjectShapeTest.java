package io.tether.agent.inject;

import static io.tether.agent.inject.InjectFixtures.BASE;
import static io.tether.agent.inject.InjectFixtures.SECRET;
import static io.tether.agent.inject.InjectFixtures.SIDECAR;
import static io.tether.agent.inject.InjectFixtures.awsvpc;
import static io.tether.agent.inject.InjectFixtures.container;
import static io.tether.agent.inject.InjectFixtures.env;
import static io.tether.agent.inject.InjectFixtures.envNames;
import static io.tether.agent.inject.InjectFixtures.inject;
import static io.tether.agent.inject.InjectFixtures.options;
import static io.tether.agent.inject.InjectFixtures.payments;
import static io.tether.agent.inject.InjectFixtures.sidecar;
import static io.tether.agent.inject.InjectFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shape of what inject adds, per network mode (docs/ecs.md, "Task definition"). */
class InjectShapeTest {
  private static final String START_ON_SIDECAR = "[{\"containerName\":\"" + SIDECAR + "\",\"condition\":\"START\"}]";

  @Test
  void bridgeSidecarGetsDynamicHostPortsNoSecretAndTheAppsResolveThroughTheHostAgent() {
    JsonNode out = inject(task("bridge"), options().service(payments())).document();
    JsonNode sidecar = sidecar(out);
    assertThat(sidecar.get("image").asText()).isEqualTo("tether/sidecar:0.1.0");
    assertThat(sidecar.get("essential").asBoolean()).isTrue();
    assertThat(sidecar.get("command").toString()).isEqualTo("[\"ecs-task\"]");
    assertThat(sidecar.get("portMappings").toString()).as("the ingress port and the metrics port, both dynamic")
        .isEqualTo("[{\"containerPort\":15000,\"protocol\":\"tcp\"},{\"containerPort\":9902,\"protocol\":\"tcp\"}]");
    assertThat(envNames(out)).containsExactly("TETHER_NAMESPACE", "TETHER_SERVICES");
    assertThat(env(out, "TETHER_NAMESPACE")).isEqualTo("prod");
    assertThat(env(out, "TETHER_SERVICES"))
        .isEqualTo("[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":15000}]");
    assertThat(sidecar.has("secrets")).isFalse();
    assertThat(sidecar.has("links")).isFalse();
    assertThat(sidecar.get("stopTimeout").asInt()).isEqualTo(15);
    assertThat(sidecar.at("/healthCheck/command/3").asText()).contains("/dev/tcp/127.0.0.1/9901").contains("/ready");
    assertThat(container(out, "app").get("dependsOn").toString()).isEqualTo(START_ON_SIDECAR);
    assertThat(container(out, "app").get("dnsServers").toString()).isEqualTo("[\"172.17.0.1\"]");
    assertThat(container(out, "app").has("mountPoints")).isFalse();
    assertThat(out.has("volumes")).isFalse();
  }

  @Test
  void bridgeMetricsPortIsMappedAsGivenOrNotAtAll() {
    JsonNode given = inject(task("bridge"), options().service(payments()).metricsPort(9100)).document();
    assertThat(env(given, "TETHER_METRICS_PORT")).isEqualTo("9100");
    assertThat(sidecar(given).get("portMappings").toString())
        .isEqualTo("[{\"containerPort\":15000,\"protocol\":\"tcp\"},{\"containerPort\":9100,\"protocol\":\"tcp\"}]");
    JsonNode none = inject(task("bridge"), options().service(payments()).metricsPort(0)).document();
    assertThat(env(none, "TETHER_METRICS_PORT")).isEqualTo("0");
    assertThat(sidecar(none).get("portMappings")).hasSize(1);
    JsonNode unmapped = inject(task("bridge"), options().service(payments()).metricsPortMapping(false)).document();
    assertThat(envNames(unmapped)).as("still served, on the default port").doesNotContain("TETHER_METRICS_PORT");
    assertThat(sidecar(unmapped).get("portMappings")).hasSize(1);
    JsonNode host = inject(task("host"), options().service(payments())).document();
    assertThat(sidecar(host).get("portMappings").toString()).as("host mode: the host's own port, no mapping")
        .isEqualTo("[{\"containerPort\":15000,\"hostPort\":15000,\"protocol\":\"tcp\"}]");
  }

  @Test
  void theDefaultMetricsPortGivesWayToAPortOfTheTaskAndIsNotChosenForIngress() {
    Injection injection = inject(task(t -> {
      t.put("networkMode", "host");
      ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("containerPort", 9902);
    }), options().service(payments()));
    assertThat(env(injection.document(), "TETHER_METRICS_PORT")).as("kept off the app's port").isEqualTo("0");
    assertThat(injection.notes()).contains("the sidecar's default metrics port 9902 is taken by container 'app' "
        + "portMappings[0] ('http') (in host mode the task's containers share the host's network namespace), so it gets "
        + "TETHER_METRICS_PORT=0 and serves no metrics: give --metrics-port PORT to serve them");
    JsonNode chosen = inject(task("bridge"), options().service(payments()).metricsPort(15000)).document();
    assertThat(env(chosen, "TETHER_SERVICES")).as("the first free ingress port after the metrics port")
        .contains("\"ingressPort\":15001");
  }

  @Test
  void bridgeDnsServerIsPutFirstAndTheContainersOwnAreKeptAfterIt() {
    Injection injection = inject(task(t -> {
      t.put("networkMode", "bridge");
      ((ObjectNode) t.at("/containerDefinitions/0")).putArray("dnsServers")
          .add("10.0.0.2").add("10.9.9.9").add("10.0.0.1");
    }), options().service(payments()).hostDns("10.9.9.9"));
    assertThat(container(injection.document(), "app").get("dnsServers").toString())
        .isEqualTo("[\"10.9.9.9\",\"10.0.0.2\",\"10.0.0.1\"]");
    assertThat(injection.notes()).containsExactly("container 'app' keeps its dnsServers 10.0.0.2, 10.0.0.1 after the "
        + "host agent's 10.9.9.9: they are asked only when the host agent does not answer, and know no alias");
  }

  @Test
  void hostSidecarMapsItsIngressPortOnTheHostAndTheAppsMountTheHostsHostsFile() {
    JsonNode out = inject(task("host"), options().service(payments())).document();
    assertThat(sidecar(out).get("portMappings").toString())
        .isEqualTo("[{\"containerPort\":15000,\"hostPort\":15000,\"protocol\":\"tcp\"}]");
    assertThat(out.get("volumes").toString())
        .isEqualTo("[{\"name\":\"tether-hosts\",\"host\":{\"sourcePath\":\"/etc/hosts\"}}]");
    assertThat(container(out, "app").get("mountPoints").toString())
        .isEqualTo("[{\"sourceVolume\":\"tether-hosts\",\"containerPath\":\"/etc/hosts\",\"readOnly\":true}]");
    assertThat(container(out, "app").get("dependsOn").toString()).isEqualTo(START_ON_SIDECAR);
    assertThat(container(out, "app").has("dnsServers")).isFalse();
    assertThat(sidecar(out).has("mountPoints")).isFalse();
  }

  @Test
  void awsvpcSidecarTalksToTheControlPlaneWithTheTokenFromSecrets() {
    Injection injection = inject(task(t -> { }), awsvpc().service(payments()));
    JsonNode out = injection.document();
    assertThat(envNames(out))
        .as("no TETHER_XDS: the sidecar asks the control plane").containsExactly("TETHER_NAMESPACE", "TETHER_SERVICES",
            "TETHER_SERVER");
    assertThat(env(out, "TETHER_SERVER")).isEqualTo("http://tether.internal:8700");
    assertThat(sidecar(out).get("secrets").toString())
        .isEqualTo("[{\"name\":\"TETHER_TOKEN\",\"valueFrom\":\"" + SECRET + "\"}]");
    assertThat(sidecar(out).get("portMappings").toString())
        .isEqualTo("[{\"containerPort\":15000,\"protocol\":\"tcp\"}]");
    assertThat(container(out, "app").get("dependsOn").toString()).isEqualTo(START_ON_SIDECAR);
    assertThat(container(out, "app").has("dnsServers")).isFalse();
    assertThat(container(out, "app").has("mountPoints")).isFalse();
    assertThat(injection.notes()).anySatisfy(n -> assertThat(n).startsWith("awsvpc mode: ")
        .contains("cannot call the namespace's aliases by name"));
  }

  @Test
  void awsvpcXdsIsTakenAsGivenAndAnIpv6ControlPlaneKeepsItsBrackets() {
    JsonNode given = inject(task(t -> { }), awsvpc().service(payments()).xds("xds.internal:18443")).document();
    assertThat(env(given, "TETHER_XDS")).isEqualTo("xds.internal:18443");
    JsonNode v6 = inject(task(t -> { }), awsvpc().service(payments()).controlPlane(URI.create("http://[fd00::5]:8700")))
        .document();
    assertThat(env(v6, "TETHER_SERVER")).isEqualTo("http://[fd00::5]:8700");
    assertThat(envNames(v6)).doesNotContain("TETHER_XDS");
  }

  @Test
  void optionalSettingsAreInTheEnvironmentOnlyWhenGivenAndTheDrainSetsTheStopTimeout() {
    JsonNode out = inject(task("host"), options().service(payments()).adminPort(19901).drainSeconds(30).leaseTtl(20)
        .hostAgent("127.0.0.1:25101").labels(java.util.List.of("version=v2", "track=canary"))).document();
    assertThat(envNames(out)).containsExactly("TETHER_NAMESPACE", "TETHER_SERVICES", "TETHER_ADMIN_PORT",
        "TETHER_DRAIN_SECONDS", "TETHER_LEASE_TTL", "TETHER_HOST_AGENT", "TETHER_LABELS");
    assertThat(env(out, "TETHER_LABELS")).as("in key order, as the task agent reads them").isEqualTo("track=canary,version=v2");
    assertThat(env(out, "TETHER_ADMIN_PORT")).isEqualTo("19901");
    assertThat(env(out, "TETHER_DRAIN_SECONDS")).isEqualTo("30");
    assertThat(env(out, "TETHER_LEASE_TTL")).isEqualTo("20");
    assertThat(env(out, "TETHER_HOST_AGENT")).isEqualTo("127.0.0.1:25101");
    assertThat(sidecar(out).get("stopTimeout").asInt()).isEqualTo(40);
    assertThat(sidecar(out).at("/healthCheck/command/3").asText()).contains("/dev/tcp/127.0.0.1/19901");
  }

  @Test
  void aFireLensLogRouterWaitsForNothingAndGetsNoNames() {
    JsonNode out = inject(task(t -> {
      t.put("networkMode", "bridge");
      ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "log_router")
          .putObject("firelensConfiguration").put("type", "fluentbit");
    }), options().service(payments())).document();
    assertThat(container(out, "log_router").has("dependsOn")).isFalse();
    assertThat(container(out, "log_router").has("dnsServers")).isFalse();
  }

  @Test
  void aTaskThatServesNothingGetsNoSidecarOnlyItsNames() {
    Injection injection = inject(task("bridge"), options());
    JsonNode out = injection.document();
    assertThat(out.get("containerDefinitions")).hasSize(1);
    assertThat(container(out, "app").get("dnsServers").toString()).isEqualTo("[\"172.17.0.1\"]");
    assertThat(container(out, "app").has("dependsOn")).isFalse();
    assertThat(injection.notes()).containsExactly("no --service, so no tether-sidecar is added (it serves a task's "
        + "services, and this task serves none); its containers still call the namespace's aliases by name through "
        + "the host agent");
  }

  @Test
  void absentNetworkModeIsBridgeAsEcsRunsIt() {
    Injection injection = inject(task(t -> t.remove("networkMode")), options().service(payments()));
    assertThat(container(injection.document(), "app").has("dnsServers")).isTrue();
    assertThat(injection.notes()).first().isEqualTo("networkMode is not set, so ECS runs the task in bridge mode");
  }

  @Test
  void defaultIngressPortsSkipPortsTheTaskAlreadyUses() {
    JsonNode out = inject(task(t -> ((ArrayNode) t.get("containerDefinitions").get(0).get("portMappings")).addObject()
            .put("name", "admin").put("containerPort", 15000).put("appProtocol", "http")),
        awsvpc().service(payments()).service(new ServiceRequest("app", "admin", "payments-admin", null))).document();
    assertThat(sidecar(out).get("portMappings").findValuesAsText("containerPort")).containsExactly("15001", "15002");
  }

  @Test
  void sidecarIsSizedOnlyWhenTheTaskSizesItsContainers() {
    JsonNode taskSized = inject(task(t -> t.put("cpu", "512").put("memory", "1024")), awsvpc().service(payments()))
        .document();
    assertThat(sidecar(taskSized).has("cpu")).isFalse();
    assertThat(sidecar(taskSized).has("memoryReservation")).isFalse();
    JsonNode containerSized = inject(task(t -> ((ObjectNode) t.get("containerDefinitions").get(0)).put("cpu", 256)),
        awsvpc().service(payments())).document();
    assertThat(sidecar(containerSized).get("cpu").asInt()).isEqualTo(128);
    assertThat(sidecar(containerSized).get("memoryReservation").asInt()).isEqualTo(128);
  }

  @Test
  void describeTaskDefinitionOutputIsEditedInsideItsWrapper() {
    ObjectNode wrapped = TaskDefinitionJson.read("t", ("{\"taskDefinition\": " + BASE + ", \"tags\": []}")
        .getBytes(StandardCharsets.UTF_8)).deepCopy();
    JsonNode out = inject(wrapped, awsvpc().service(payments())).document();
    assertThat(out.get("tags").isArray()).isTrue();
    assertThat(sidecar(out.get("taskDefinition")).get("name").asText()).isEqualTo(SIDECAR);
  }

  @Test
  void inputTreeIsNotModified() {
    ObjectNode input = task("host");
    ObjectNode before = input.deepCopy();
    inject(input, options().service(payments()));
    assertThat(input).isEqualTo(before);
  }
}
