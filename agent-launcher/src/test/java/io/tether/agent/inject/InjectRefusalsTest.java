package io.tether.agent.inject;

import static io.tether.agent.inject.InjectFixtures.BASE;
import static io.tether.agent.inject.InjectFixtures.SECRET;
import static io.tether.agent.inject.InjectFixtures.container;
import static io.tether.agent.inject.InjectFixtures.envoy;
import static io.tether.agent.inject.InjectFixtures.inject;
import static io.tether.agent.inject.InjectFixtures.options;
import static io.tether.agent.inject.InjectFixtures.runInject;
import static io.tether.agent.inject.InjectFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.agent.Cli;
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
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("portName with no matching named port mapping", t -> { },
            options().service(new ServiceRequest("app", "grpc", null, null)),
            "--service app:grpc: container 'app' has no port mapping named 'grpc' (its named port mappings: http)"),
        new Refusal("portName in a container whose port mappings have no names",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).remove("name"),
            options().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' has no port mapping named 'http' (none of its port mappings has a "
                + "name: add \"name\": \"http\" to the one to serve)"),
        new Refusal("http-named port mapping without appProtocol",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).remove("appProtocol"),
            options().service(new ServiceRequest("app", "http", "payments", null)),
            "--service app:http:payments: container 'app' portMappings[0] ('http') has no appProtocol, yet its name "
                + "says HTTP. Without one it is plain TCP to ECS, and a Tether service declared the same way gets no "
                + "per-request timeout, retries or HTTP routing: set \"appProtocol\" to http, http2 or grpc here, and "
                + "the same on the Tether service"),
        new Refusal("grpc-named port mapping without appProtocol",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("name", "public-grpc")
                .remove("appProtocol"),
            options().service(new ServiceRequest("app", "public-grpc", null, null)),
            "--service app:public-grpc: container 'app' portMappings[0] ('public-grpc') has no appProtocol, yet its "
                + "name says HTTP. Without one it is plain TCP to ECS, and a Tether service declared the same way gets "
                + "no per-request timeout, retries or HTTP routing: set \"appProtocol\" to http, http2 or grpc here, "
                + "and the same on the Tether service"),
        new Refusal("appProtocol ECS does not know",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("appProtocol", "HTTP"),
            options().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' portMappings[0] ('http').appProtocol 'HTTP' is not one of ECS's "
                + "http, http2, grpc"),
        new Refusal("duplicate container names",
            t -> ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "app"), options(),
            "containerDefinitions[1].name 'app' is also the name of containerDefinitions[0]: container names must be "
                + "unique in a task definition"),
        new Refusal("duplicate port mapping names in a container",
            t -> ((ArrayNode) t.at("/containerDefinitions/0/portMappings")).addObject().put("name", "http")
                .put("containerPort", 8081),
            options(), "container 'app' portMappings[1].name 'http' is also the name of portMappings[0]: port mapping "
                + "names must be unique"),
        new Refusal("a container already named envoy",
            t -> ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "envoy"), options(),
            "containerDefinitions[1] is already named 'envoy': the sidecar was injected already, or that container "
                + "needs another name"),
        new Refusal("a --service container that does not exist", t -> { },
            options().service(new ServiceRequest("web", "http", null, null)),
            "--service web:http: there is no container named 'web' (the task's containers: app)"),
        new Refusal("two services with one discovery name", t -> ((ArrayNode) t.at("/containerDefinitions/0/portMappings"))
                .addObject().put("name", "http-v2").put("containerPort", 8081).put("appProtocol", "http"),
            options().service(new ServiceRequest("app", "http", "payments", null))
                .service(new ServiceRequest("app", "http-v2", "payments", null)),
            "--service app:http-v2:payments and --service app:http:payments both serve discovery name 'payments': "
                + "give one of them another DISCOVERYNAME"),
        new Refusal("a port name that is no DNS label, as discovery name",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("name", "Web_API"),
            options().service(new ServiceRequest("app", "Web_API", null, null)),
            "--service app:Web_API: discovery name 'Web_API' (the port name) is not a DNS label (lower-case letters, "
                + "digits and '-', at most 63): give one, e.g. --service app:Web_API:web-api"),
        new Refusal("a udp port", t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0"))
                .put("protocol", "udp").remove("appProtocol"),
            options().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' portMappings[0] ('http') is udp: the sidecar proxies tcp only"),
        new Refusal("an ingress port the app holds", t -> { },
            options().service(new ServiceRequest("app", "http", null, 8080)),
            "--service app:http::8080: ingress port 8080 is taken by container 'app' portMappings[0] ('http') (in "
                + "awsvpc mode the task's containers share one network namespace)"),
        new Refusal("an admin port the app holds", t -> { }, options().adminPort(8080),
            "--admin-port 8080 is taken by container 'app' portMappings[0] ('http') (in awsvpc mode the task's "
                + "containers share one network namespace): choose another --admin-port"),
        new Refusal("a loopback xDS address outside host mode", t -> { }, options().xds("127.0.0.1", 18000),
            "--xds 127.0.0.1:18000 is the Envoy container's own loopback in awsvpc mode: give the control plane's "
                + "address as the task reaches it"),
        new Refusal("no task execution role to read the token secret", t -> t.remove("executionRoleArn"), options(),
            "executionRoleArn is missing: ECS reads --token-secret into the Envoy container with the task execution "
                + "role (allow it secretsmanager:GetSecretValue or ssm:GetParameters on " + SECRET + ")"),
        new Refusal("a bridge sidecar that serves nothing", t -> t.put("networkMode", "bridge"), options(),
            "networkMode bridge with no --service: in bridge mode every container has its own network namespace, so "
                + "the apps cannot reach the sidecar's client-alias listeners on its loopback, and a sidecar that "
                + "serves nothing does nothing; serve a --service, or use awsvpc or host mode"),
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
        new Refusal("networkMode none", t -> t.put("networkMode", "none"), options(),
            "networkMode is 'none': the task has no network for a sidecar to serve or call through; use awsvpc, "
                + "bridge or host"),
        new Refusal("not a task definition", t -> t.remove("containerDefinitions"), options(),
            "containerDefinitions is missing or empty: is this an ECS task definition?"),
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
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app:grpc", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("tether agent inject: --service app:grpc: container 'app' has no port mapping "
        + "named 'grpc' (its named port mappings: http)\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void malformedServiceOptionIsAUsageError() {
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--service 'app' must be CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]] "
        + "(e.g. app:http or app:http:payments:15000)");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void duplicateJsonKeysAreRefusedNotSilentlyMerged() {
    Cli cli = runInject("{\"family\": \"a\", \"family\": \"b\"}", "--namespace", "prod", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).startsWith("tether agent inject: ").contains("is not valid JSON: Duplicate field 'family'")
        .contains("(line 1, column ");
  }
}
