package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.testing.SelfSignedCert;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sidecar's environment, read strictly: the defaults, and each mistake with the message that names it. */
class EcsEnvironmentTest {
  private static final String SERVICES = "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,"
      + "\"ingressPort\":15000}]";

  private static Map<String, String> base() {
    Map<String, String> env = new HashMap<>();
    env.put("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/5b3e");
    env.put("TETHER_NAMESPACE", "prod");
    env.put("TETHER_SERVICES", SERVICES);
    env.put("PATH", "/usr/bin"); // what else a container has is none of the agent's business
    return env;
  }

  @Test
  void theDefaultsOfABridgeOrHostTask() {
    EcsSettings s = EcsEnvironment.read(base());

    assertThat(s.metadataUri()).isEqualTo(URI.create("http://169.254.170.2/v4/5b3e"));
    assertThat(s.namespace()).isEqualTo("prod");
    assertThat(s.services()).containsExactly(new EcsService("payments", "app", 8080, 15000));
    assertThat(s.hostAgent()).as("found from the network mode").isNull();
    assertThat(s.direct()).isNull();
    assertThat(s.adminPort()).isEqualTo(9901);
    assertThat(s.drainTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.leaseTtlSeconds()).isEqualTo(10);
    assertThat(s.metadataPoll()).isEqualTo(Duration.ofMillis(1000));
    assertThat(s.metrics()).isEqualTo(new MetricsEndpoint.Settings("0.0.0.0", 9902, false));
  }

  @Test
  void theDefaultMetricsPortGivesWayToAnAppOnIt() {
    Map<String, String> env = base();
    env.put("TETHER_SERVICES", "[{\"discoveryName\":\"p\",\"container\":\"app\",\"appPort\":9902,\"ingressPort\":15000}]");
    assertThat(EcsEnvironment.read(env).metrics()).as("no metrics rather than a clash")
        .isEqualTo(new MetricsEndpoint.Settings("0.0.0.0", 0, false));
  }

  @Test
  void everyVariableSetAndAnAwsvpcTasksControlPlane() {
    Map<String, String> env = base();
    env.put("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/5b3e/");
    env.put("TETHER_SERVICES", "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,"
        + "\"ingressPort\":15000},{\"discoveryName\":\"refunds\",\"container\":\"app\",\"appPort\":8081,"
        + "\"ingressPort\":15001}]");
    env.put("TETHER_ADMIN_PORT", "19901");
    env.put("TETHER_DRAIN_SECONDS", "0");
    env.put("TETHER_LEASE_TTL", "30");
    env.put("TETHER_METADATA_POLL_MS", "250");
    env.put("TETHER_LABELS", "version=v2,track=canary");
    env.put("TETHER_METRICS_PORT", "0");
    env.put("TETHER_METRICS_ADDRESS", "127.0.0.1");
    env.put("TETHER_SERVER", "https://tether.internal:8700");
    env.put("TETHER_TOKEN", "s3cret\n");
    EcsSettings s = EcsEnvironment.read(env);

    assertThat(s.metadataUri()).as("without the trailing slash").hasToString("http://169.254.170.2/v4/5b3e");
    assertThat(s.services()).extracting(EcsService::discoveryName).containsExactly("payments", "refunds");
    assertThat(s.adminPort()).isEqualTo(19901);
    assertThat(s.drainTime()).isZero();
    assertThat(s.leaseTtlSeconds()).isEqualTo(30);
    assertThat(s.metadataPoll()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("version", "v2", "track", "canary"));
    assertThat(s.metrics()).as("0: no metrics endpoint").isEqualTo(new MetricsEndpoint.Settings("127.0.0.1", 0, true));
    assertThat(s.direct().controlPlane()).isEqualTo(URI.create("https://tether.internal:8700"));
    assertThat(s.direct().xds()).as("asked of the control plane at start").isNull();
    assertThat(s.direct().token()).isEqualTo("s3cret");
    assertThat(s.toString()).doesNotContain("s3cret");

    env.put("TETHER_XDS", "[fd00::5]:18443");
    assertThat(EcsEnvironment.read(env).direct().xds()).isEqualTo(new HostPort("fd00::5", 18443));
    env.put("TETHER_SERVER", "10.0.0.5:8700");
    assertThat(EcsEnvironment.read(env).direct().controlPlane()).as("HOST:PORT, as --server takes it")
        .isEqualTo(URI.create("http://10.0.0.5:8700"));
    env.remove("TETHER_SERVER");
    env.put("TETHER_CONTROL_PLANE", "http://tether.internal:8700");
    assertThat(EcsEnvironment.read(env).direct().controlPlane()).as("the old name")
        .isEqualTo(URI.create("http://tether.internal:8700"));
    env.remove("TETHER_CONTROL_PLANE");
    env.remove("TETHER_TOKEN");
    env.remove("TETHER_XDS");
    env.put("TETHER_HOST_AGENT", "172.17.0.1:25101");
    assertThat(EcsEnvironment.read(env).hostAgent()).isEqualTo(new HostPort("172.17.0.1", 25101));
  }

  /** A variable set (or, with a null value, removed) and what the message must say. */
  record Row(String variable, String value, String message) {
    @Override
    public String toString() {
      return variable + "=" + value;
    }
  }

  static Stream<Row> mistakes() {
    String svc = "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":15000},";
    return Stream.of(
        new Row("ECS_CONTAINER_METADATA_URI_V4", null, "ECS_CONTAINER_METADATA_URI_V4 is not set: the ECS agent sets it"),
        new Row("ECS_CONTAINER_METADATA_URI_V4", "169.254.170.2/v4/x", "is not an http:// URL"),
        new Row("TETHER_NAMESPACE", null, "TETHER_NAMESPACE is not set: set it to the Tether namespace"),
        new Row("TETHER_NAMESPACE", "Prod", "TETHER_NAMESPACE='Prod' is not a namespace name"),
        new Row("TETHER_SERVICES", null, "TETHER_SERVICES is not set: set it to a JSON list"),
        new Row("TETHER_SERVICES", " ", "TETHER_SERVICES is not set"),
        new Row("TETHER_SERVICES", "[{", "TETHER_SERVICES is not JSON"),
        new Row("TETHER_SERVICES", "{}", "TETHER_SERVICES must be a non-empty JSON list, e.g. [{\"discoveryName\""),
        new Row("TETHER_SERVICES", "[]", "TETHER_SERVICES must be a non-empty JSON list"),
        new Row("TETHER_SERVICES", "[\"payments\"]", "TETHER_SERVICES[0] must be an object"),
        new Row("TETHER_SERVICES", "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080}]",
            "TETHER_SERVICES[0].ingressPort is required: a port number"),
        new Row("TETHER_SERVICES", svc + "{\"discoveryName\":\"x\",\"container\":\"app\",\"appPort\":\"8081\",\"ingressPort\":1}]",
            "TETHER_SERVICES[1].appPort is required: a port number"),
        new Row("TETHER_SERVICES", svc + "{\"discoveryName\":\"x\",\"container\":\"\",\"appPort\":8081,\"ingressPort\":1}]",
            "TETHER_SERVICES[1].container is required: a string"),
        new Row("TETHER_SERVICES", "[{\"discoveryName\":\"Pay\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":15000}]",
            "TETHER_SERVICES[0].discoveryName 'Pay' is not a discovery name"),
        new Row("TETHER_SERVICES", "[{\"discoveryName\":\"p\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":70000}]",
            "TETHER_SERVICES[0].ingressPort is required: a port number (1-65535)"),
        new Row("TETHER_SERVICES", "[{\"discoveryName\":\"p\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":1,\"port\":2}]",
            "TETHER_SERVICES[0] has an unknown field 'port'"),
        new Row("TETHER_SERVICES", svc + "{\"discoveryName\":\"payments\",\"container\":\"b\",\"appPort\":8081,\"ingressPort\":15001}]",
            "TETHER_SERVICES lists discoveryName 'payments' twice"),
        new Row("TETHER_SERVICES", svc + "{\"discoveryName\":\"x\",\"container\":\"b\",\"appPort\":8081,\"ingressPort\":15000}]",
            "the ingressPort 15000 of x is also the ingressPort of payments"),
        new Row("TETHER_SERVICES", "[{\"discoveryName\":\"p\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":9901}]",
            "the ingressPort 9901 of p is also TETHER_ADMIN_PORT"),
        new Row("TETHER_SERVICES", "[{\"discoveryName\":\"p\",\"container\":\"app\",\"appPort\":15000,\"ingressPort\":15000}]",
            "the appPort 15000 of p is also the ingressPort of p"),
        new Row("TETHER_SERVICES", svc + "{\"discoveryName\":\"x\",\"container\":\"b\",\"appPort\":15000,\"ingressPort\":15001}]",
            "the appPort 15000 of x is also the ingressPort of payments"),
        new Row("TETHER_SERVICES", svc + "{\"discoveryName\":\"x\",\"container\":\"b\",\"appPort\":8080,\"ingressPort\":15001}]",
            "the appPort 8080 of x is also the appPort of container app"),
        new Row("TETHER_ADMIN_PORT", "http", "TETHER_ADMIN_PORT='http' is not a port number: set it to 1-65535"),
        new Row("TETHER_ADMIN_PORT", "0", "TETHER_ADMIN_PORT='0' is not a port number"),
        new Row("TETHER_METRICS_PORT", "15000", "TETHER_METRICS_PORT 15000 is also the ingressPort of payments: give one "
            + "of them another port (TETHER_METRICS_PORT 0 for no metrics)"),
        new Row("TETHER_METRICS_PORT", "70000", "TETHER_METRICS_PORT='70000': set it to a whole number from 0 to 65535 (default 9902)"),
        new Row("TETHER_DRAIN_SECONDS", "-1", "TETHER_DRAIN_SECONDS='-1': set it to a whole number from 0 to 3600 (default 5)"),
        new Row("TETHER_DRAIN_SECONDS", "1.5", "TETHER_DRAIN_SECONDS='1.5': set it to a whole number"),
        new Row("TETHER_LEASE_TTL", "1", "TETHER_LEASE_TTL='1': set it to a whole number from 2 to 3600 (default 10)"),
        new Row("TETHER_METADATA_POLL_MS", "10", "TETHER_METADATA_POLL_MS='10': set it to a whole number from 100 to 60000"),
        new Row("TETHER_LABELS", "version=v2,tether.io/x=y", "TETHER_LABELS: keys under tether.io/ are reserved"),
        new Row("TETHER_LABELS", "version=v2,", "TETHER_LABELS '' is not KEY=VALUE (e.g. version=v2)"),
        new Row("TETHER_HOST_AGENT", "172.17.0.1", "TETHER_HOST_AGENT='172.17.0.1': set it to HOST:PORT"),
        new Row("TETHER_HOST_AGENT", "fd00::1:15101", "TETHER_HOST_AGENT='fd00::1:15101': set it to HOST:PORT"),
        new Row("TETHER_HOST_AGENT", "172.17.0.1:x", "TETHER_HOST_AGENT='172.17.0.1:x': 'x' is not a port number (1-65535)"),
        new Row("TETHER_TOKEN", "s3cret", "TETHER_TOKEN is set but TETHER_SERVER is not"),
        new Row("TETHER_XDS", "tether.internal:18000", "TETHER_XDS is set but TETHER_SERVER is not"),
        new Row("TETHER_SERVER_CA", "/etc/tether/ca.pem", "TETHER_SERVER_CA is set but TETHER_SERVER is not"),
        new Row("TETHER_XDS_CA", "/etc/tether/ca.pem", "TETHER_XDS_CA is set but TETHER_SERVER is not"),
        new Row("TETHER_SERVER", "http://tether.internal:8700", "TETHER_TOKEN is not set: an awsvpc task needs"),
        new Row("TETHER_SERVER", "tether.internal", "TETHER_SERVER 'tether.internal' must be HOST:PORT or "
            + "http(s)://HOST:PORT"),
        new Row("TETHER_CONTROL_PLANE", "ftp://tether.internal:8700", "TETHER_CONTROL_PLANE 'ftp://tether.internal:8700' "
            + "must be HOST:PORT or http(s)://HOST:PORT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeIsRefusedNamingTheVariableAndWhatToSet(Row row) {
    Map<String, String> env = base();
    if (row.value() == null) {
      env.remove(row.variable());
    } else {
      env.put(row.variable(), row.value());
    }
    assertThatThrownBy(() -> EcsEnvironment.read(env)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(row.message());
  }

  @Test
  void anAwsvpcTasksCaFilesAreReadAtStartNamingTheVariable() throws Exception {
    SelfSignedCert pem = SelfSignedCert.for127001();
    Map<String, String> env = base();
    env.putAll(Map.of("TETHER_SERVER", "https://127.0.0.1:8700", "TETHER_TOKEN", "t",
        "TETHER_SERVER_CA", pem.cert().toString(), "TETHER_XDS_CA", pem.cert().toString()));
    EcsSettings.Direct direct = EcsEnvironment.read(env).direct();
    assertThat(direct.serverCa()).isEqualTo(pem.cert());
    assertThat(direct.xdsCa()).isEqualTo(pem.cert());

    env.put("TETHER_XDS_CA", "/nonexistent/xds-ca.pem");
    assertThatThrownBy(() -> EcsEnvironment.read(env)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TETHER_XDS_CA: no such file: /nonexistent/xds-ca.pem");
    env.remove("TETHER_XDS_CA");
    env.put("TETHER_SERVER_CA", pem.key().toString());
    assertThatThrownBy(() -> EcsEnvironment.read(env)).as("a key, not a certificate")
        .hasMessageStartingWith("TETHER_SERVER_CA " + pem.key() + " ");
  }

  @Test
  void aHostAgentAndAControlPlaneTogetherAreRefused() {
    Map<String, String> env = base();
    env.putAll(Map.of("TETHER_HOST_AGENT", "127.0.0.1:15101", "TETHER_SERVER", "http://cp:8700",
        "TETHER_TOKEN", "t"));
    assertThatThrownBy(() -> EcsEnvironment.read(env)).hasMessageContaining("TETHER_HOST_AGENT and TETHER_SERVER "
        + "are both set");
  }

  @Test
  void theServerByBothNamesIsRefusedNamingBoth() {
    Map<String, String> env = base();
    env.putAll(Map.of("TETHER_SERVER", "cp:8700", "TETHER_CONTROL_PLANE", "http://cp:8700", "TETHER_TOKEN", "t"));
    assertThatThrownBy(() -> EcsEnvironment.read(env)).hasMessage("TETHER_SERVER and TETHER_CONTROL_PLANE are both "
        + "set: TETHER_CONTROL_PLANE is the old name of TETHER_SERVER, keep one of them");
  }
}
