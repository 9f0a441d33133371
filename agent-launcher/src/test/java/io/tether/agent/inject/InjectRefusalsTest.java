package io.tether.agent.inject;

import static io.tether.agent.inject.InjectFixtures.BASE;
import static io.tether.agent.inject.InjectFixtures.SECRET;
import static io.tether.agent.inject.InjectFixtures.awsvpc;
import static io.tether.agent.inject.InjectFixtures.options;
import static io.tether.agent.inject.InjectFixtures.payments;
import static io.tether.agent.inject.InjectFixtures.runInject;
import static io.tether.agent.inject.InjectFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.agent.Cli;
import java.net.URI;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code tether agent inject} refuses the classic mistakes, each with a precise message, and prints no task definition. */
class InjectRefusalsTest {
  record Refusal(String mistake, Consumer<ObjectNode> edit, InjectOptions.Builder options, String message) {
    @Override
    public String toString() {
      return mistake;
    }

    static void secondHttpPort(ObjectNode task) {
      ((ArrayNode) task.at("/containerDefinitions/0/portMappings")).addObject().put("name", "http-v2")
          .put("containerPort", 8081).put("appProtocol", "http");
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.concat(taskMistakes(), optionMistakes());
  }

  /** What is wrong in the task definition, or between it and a --service. */
  static Stream<Refusal> taskMistakes() {
    return Stream.of(
        new Refusal("portName with no matching named port mapping", t -> { },
            awsvpc().service(new ServiceRequest("app", "grpc", null, null)),
            "--service app:grpc: container 'app' has no port mapping named 'grpc' (its named port mappings: http)"),
        new Refusal("portName in a container whose port mappings have no names",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).remove("name"),
            awsvpc().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' has no port mapping named 'http' (none of its port mappings has a "
                + "name: add \"name\": \"http\" to the one to serve)"),
        new Refusal("http-named port mapping without appProtocol",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).remove("appProtocol"),
            awsvpc().service(payments()),
            "--service app:http:payments: container 'app' portMappings[0] ('http') has no appProtocol, yet its name "
                + "says HTTP. Without one it is plain TCP to ECS, and a Tether service declared the same way gets no "
                + "per-request timeout, retries or HTTP routing: set \"appProtocol\" to http, http2 or grpc here, and "
                + "the same on the Tether service"),
        new Refusal("appProtocol ECS does not know",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("appProtocol", "HTTP"),
            awsvpc().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' portMappings[0] ('http').appProtocol 'HTTP' is not one of ECS's "
                + "http, http2, grpc"),
        new Refusal("duplicate container names",
            t -> ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "app"), awsvpc(),
            "containerDefinitions[1].name 'app' is also the name of containerDefinitions[0]: container names must be "
                + "unique in a task definition"),
        new Refusal("duplicate port mapping names in a container",
            t -> ((ArrayNode) t.at("/containerDefinitions/0/portMappings")).addObject().put("name", "http")
                .put("containerPort", 8081),
            awsvpc(), "container 'app' portMappings[1].name 'http' is also the name of portMappings[0]: port mapping "
                + "names must be unique"),
        new Refusal("a container already named tether-sidecar",
            t -> ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "tether-sidecar"), awsvpc(),
            "containerDefinitions[1] is already named 'tether-sidecar': the sidecar was injected already, or that "
                + "container needs another name"),
        new Refusal("a --service container that does not exist", t -> { },
            awsvpc().service(new ServiceRequest("web", "http", null, null)),
            "--service web:http: there is no container named 'web' (the task's containers: app)"),
        new Refusal("two services with one discovery name", Refusal::secondHttpPort,
            awsvpc().service(payments()).service(new ServiceRequest("app", "http-v2", "payments", null)),
            "--service app:http-v2:payments and --service app:http:payments both serve discovery name 'payments': "
                + "give one of them another DISCOVERYNAME"),
        new Refusal("two services with one ingress port", Refusal::secondHttpPort,
            awsvpc().service(new ServiceRequest("app", "http", "a", 15000))
                .service(new ServiceRequest("app", "http-v2", "b", 15000)),
            "--service app:http-v2:b:15000: ingress port 15000 is taken by --service app:http:a:15000: give each "
                + "--service its own INGRESSPORT"),
        new Refusal("a port name that is no DNS label, as discovery name",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("name", "Web_API"),
            awsvpc().service(new ServiceRequest("app", "Web_API", null, null)),
            "--service app:Web_API: discovery name 'Web_API' (the port name) is not a DNS label (lower-case letters, "
                + "digits and '-', at most 63): give one, e.g. --service app:Web_API:web-api"),
        new Refusal("a discovery name that is no DNS label", t -> { },
            awsvpc().service(new ServiceRequest("app", "http", "Payments", null)),
            "--service app:http:Payments: discovery name 'Payments' is not a DNS label (lower-case letters, digits "
                + "and '-', at most 63): give one, e.g. --service app:http:payments"),
        new Refusal("a udp port", t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0"))
                .put("protocol", "udp").remove("appProtocol"),
            awsvpc().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' portMappings[0] ('http') is udp: the sidecar proxies tcp only"),
        new Refusal("an ingress port the app holds", t -> { },
            awsvpc().service(new ServiceRequest("app", "http", null, 8080)),
            "--service app:http::8080: ingress port 8080 is taken by container 'app' portMappings[0] ('http') (in "
                + "awsvpc mode the task's containers share one network namespace)"),
        new Refusal("an admin port the app holds", t -> { }, awsvpc().adminPort(8080),
            "--admin-port 8080 is taken by container 'app' portMappings[0] ('http') (in awsvpc mode the task's "
                + "containers share one network namespace): choose another --admin-port"),
        new Refusal("bridge containers served on one container port", t -> {
              t.put("networkMode", "bridge");
              ((ArrayNode) t.get("containerDefinitions")).add(((ObjectNode) t.at("/containerDefinitions/0")).deepCopy()
                  .put("name", "app2"));
            },
            options().service(new ServiceRequest("app", "http", "a", null))
                .service(new ServiceRequest("app2", "http", "b", null)),
            "--service app2:http:b: in bridge mode the sidecar forwards each served app's port from its own 127.0.0.1 "
                + "(the control plane sends a service's traffic to 127.0.0.1:appPort), and port 8080 there is already "
                + "the sidecar's forwarder for --service app:http:a: served ports need distinct container ports"),
        new Refusal("a host-mode container that mounts /etc/hosts itself", t -> {
              t.put("networkMode", "host");
              ((ObjectNode) t.at("/containerDefinitions/0")).putArray("mountPoints").addObject()
                  .put("sourceVolume", "mine").put("containerPath", "/etc/hosts");
            }, options().service(payments()),
            "container 'app' mountPoints[0] mounts /etc/hosts already: in host mode the sidecar mounts the host's "
                + "/etc/hosts there, where the host agent keeps the aliases; remove that mount point"),
        new Refusal("a volume named tether-hosts already", t -> {
              t.put("networkMode", "host");
              t.putArray("volumes").addObject().put("name", "tether-hosts");
            }, options().service(payments()),
            "volumes has one named 'tether-hosts' already: the sidecar was injected already, or that volume needs "
                + "another name"),
        new Refusal("dnsServers that are not a list", t -> {
              t.put("networkMode", "bridge");
              ((ObjectNode) t.at("/containerDefinitions/0")).put("dnsServers", "10.0.0.2");
            }, options().service(payments()), "container 'app' dnsServers must be a list"),
        new Refusal("networkMode none", t -> t.put("networkMode", "none"), options(),
            "networkMode is 'none': the task has no network for a sidecar to serve or call through; use awsvpc, "
                + "bridge or host"),
        new Refusal("not a task definition", t -> t.remove("containerDefinitions"), options(),
            "containerDefinitions is missing or empty: is this an ECS task definition?"));
  }

  /** Options that do not fit each other or the task's network mode. */
  static Stream<Refusal> optionMistakes() {
    String noAwsvpcOutside = ": ECS Anywhere external instances have no awsvpc network mode; use bridge or host";
    return Stream.of(
        new Refusal("awsvpc with --launch-type EXTERNAL", t -> { },
            awsvpc().service(payments()).launchType(LaunchType.EXTERNAL),
            "networkMode awsvpc with --launch-type EXTERNAL" + noAwsvpcOutside),
        new Refusal("awsvpc requiring EXTERNAL", t -> t.putArray("requiresCompatibilities").add("EC2").add("EXTERNAL"),
            awsvpc().service(payments()),
            "networkMode awsvpc with requiresCompatibilities EXTERNAL" + noAwsvpcOutside + ", or require EC2"),
        new Refusal("awsvpc without --control-plane", t -> { }, options().service(payments()).tokenSecret(SECRET),
            "networkMode awsvpc needs --server: an awsvpc task cannot reach the host agent, so its sidecar "
                + "talks to the control plane directly; give Tether's REST API as the task reaches it, e.g. "
                + "--server http://tether.internal:8700"),
        new Refusal("awsvpc without --token-secret", t -> { }, awsvpc().service(payments()).tokenSecret(null),
            "networkMode awsvpc needs --token-secret: its sidecar talks to the control plane directly, with the agent "
                + "token ECS reads from that secret; give the ARN (or SSM parameter name) of the secret holding the "
                + "agent token"),
        new Refusal("no task execution role to read the token secret", t -> t.remove("executionRoleArn"),
            awsvpc().service(payments()),
            "executionRoleArn is missing: ECS reads --token-secret into the tether-sidecar container with the task "
                + "execution role (allow it secretsmanager:GetSecretValue or ssm:GetParameters on " + SECRET + ")"),
        new Refusal("a loopback control plane in awsvpc mode", t -> { },
            awsvpc().service(payments()).controlPlane(URI.create("http://127.0.0.1:8700")),
            "--server http://127.0.0.1:8700 is the task's own loopback in awsvpc mode: give the control "
                + "plane's address as the task reaches it"),
        new Refusal("a control plane that is no http URL", t -> { },
            awsvpc().service(payments()).controlPlane(URI.create("tether.internal:8700")),
            "--server 'tether.internal:8700' must be an http or https URL with a host, e.g. "
                + "http://tether.internal:8700"),
        new Refusal("awsvpc with no --service", t -> { }, awsvpc(),
            "networkMode awsvpc with no --service: the sidecar is server-only, and an awsvpc task's containers cannot "
                + "call the namespace's aliases through Tether (docs/ecs.md), so it would do nothing; serve a "
                + "--service, or leave the task as it is"),
        new Refusal("host agent options in awsvpc mode", t -> { },
            awsvpc().service(payments()).hostAgent("10.0.0.1:15101").hostDns("10.0.0.1"),
            "--host-agent, --host-dns: not for awsvpc tasks. An awsvpc task has its own ENI, which serves the "
                + "sidecar's ports with no mapping, and cannot reach the host agent; its sidecar talks to the control "
                + "plane directly: drop --host-agent and --host-dns"),
        new Refusal("no metrics port mapping in awsvpc mode", t -> { },
            awsvpc().service(payments()).metricsPortMapping(false),
            "--no-metrics-port-mapping: not for awsvpc tasks. An awsvpc task has its own ENI, which serves the "
                + "sidecar's ports with no mapping, and cannot reach the host agent; its sidecar talks to the control "
                + "plane directly: drop --no-metrics-port-mapping"),
        new Refusal("no metrics port mapping in host mode", t -> t.put("networkMode", "host"),
            options().service(payments()).metricsPortMapping(false),
            "--no-metrics-port-mapping is for bridge mode: a host-mode sidecar serves its metrics on the host's own "
                + "address, with no mapping to drop; drop --no-metrics-port-mapping (--metrics-port 0 serves no "
                + "metrics)"),
        new Refusal("a metrics port the admin port holds", t -> t.put("networkMode", "bridge"),
            options().service(payments()).metricsPort(9901),
            "--metrics-port 9901 is taken by the Envoy admin port (--admin-port): choose another --metrics-port, or "
                + "0 for no metrics endpoint"),
        new Refusal("a metrics port a host-mode container holds", t -> t.put("networkMode", "host"),
            options().service(payments()).metricsPort(8080),
            "--metrics-port 8080 is taken by container 'app' portMappings[0] ('http') (in host mode the task's "
                + "containers share the host's network namespace): choose another --metrics-port, or 0 for no "
                + "metrics endpoint"),
        new Refusal("a metrics port that is no port", t -> t.put("networkMode", "bridge"),
            options().service(payments()).metricsPort(70000), "--metrics-port 70000 is not a port number (1-65535)"),
        new Refusal("a token secret in bridge mode", t -> t.put("networkMode", "bridge"),
            options().service(payments()).tokenSecret(SECRET),
            "--token-secret: for awsvpc tasks only. In bridge mode the host agent holds the token and relays the "
                + "sidecar to the control plane, so the task definition holds no token and no reference to one: "
                + "drop --token-secret"),
        new Refusal("--host-dns in host mode", t -> t.put("networkMode", "host"),
            options().service(payments()).hostDns("172.17.0.1"),
            "--host-dns is for bridge mode: Docker gives host-mode containers no DNS server of their own, so they "
                + "read the host's /etc/hosts, which the host agent keeps current; drop --host-dns"),
        new Refusal("a --host-dns that is no address", t -> t.put("networkMode", "bridge"),
            options().service(payments()).hostDns("dns.internal"),
            "--host-dns 'dns.internal' is not an IP address (Docker's dnsServers take addresses only), e.g. 172.17.0.1"),
        new Refusal("a drain ECS cannot wait for", t -> t.put("networkMode", "bridge"),
            options().service(payments()).drainSeconds(111),
            "--drain-seconds 111 must be between 0 and 110: the sidecar's stopTimeout is the drain plus 10 s, and "
                + "ECS allows at most 120 s"),
        new Refusal("a lease TTL the agent refuses", t -> t.put("networkMode", "bridge"),
            options().service(payments()).leaseTtl(1), "--lease-ttl 1 must be between 2 and 3600 seconds"),
        new Refusal("a namespace that is no DNS label", t -> { }, options().namespace("Prod"),
            "--namespace 'Prod' is not a DNS label (lower-case letters, digits and '-', at most 63)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void classicMistakesAreRefusedWithAPreciseMessage(Refusal r) {
    ObjectNode task = task(r.edit());
    assertThatThrownBy(() -> TaskDefinitionInjector.inject(task, r.options().build()))
        .isInstanceOf(InjectException.class)
        .hasMessage(r.message());
  }

  @Test
  void cliRefusalExitsOneWithTheMessageAndPrintsNoTaskDefinition() {
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app:grpc", "--server",
        "http://tether.internal:8700", "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("tether agent inject: --service app:grpc: container 'app' has no port mapping "
        + "named 'grpc' (its named port mappings: http)\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aBadLabelIsAUsageError() {
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app:http", "--label", "tether.io/tls=mesh");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--label: keys under tether.io/ are reserved");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void malformedServiceOptionIsAUsageError() {
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--service 'app' must be CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]] "
        + "(e.g. app:http or app:http:payments:15000)");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void malformedHostAgentOrLaunchTypeIsAUsageError() {
    Cli hostAgent = runInject(BASE, "--namespace", "prod", "--host-agent", "gateway");
    assertThat(hostAgent.exitCode()).isEqualTo(2);
    assertThat(hostAgent.err()).contains("--host-agent 'gateway' must be HOST:PORT");
    Cli launchType = runInject(BASE, "--namespace", "prod", "--launch-type", "FARGATE");
    assertThat(launchType.exitCode()).isEqualTo(2);
    assertThat(launchType.err()).contains("--launch-type").contains("EC2, EXTERNAL").contains("FARGATE");
    assertThat(launchType.out()).isEmpty();
  }

  @Test
  void duplicateJsonKeysAreRefusedNotSilentlyMerged() {
    Cli cli = runInject("{\"family\": \"a\", \"family\": \"b\"}", "--namespace", "prod");
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).startsWith("tether agent inject: ").contains("is not valid JSON: Duplicate field 'family'")
        .contains("(line 1, column ");
  }
}
