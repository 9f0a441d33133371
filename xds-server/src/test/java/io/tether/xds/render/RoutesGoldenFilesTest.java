package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Destination;
import io.tether.model.HeaderMatch;
import io.tether.model.PathMatch;
import io.tether.model.QueryMatch;
import io.tether.model.RetryPolicy;
import io.tether.model.RouteMatch;
import io.tether.model.RouteRule;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Timeout;
import io.tether.model.Traffic;
import io.tether.xds.node.ProxyKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Services with route rules (README "Routes") against reviewed files under {@code golden/routes/}: an http
 * service with a rule of every kind of match, a weighted split and per-rule timeout and retry, as its Envoy
 * route (RDS) and its proxyless api_listener; and a grpc service's path and header rules as grpc-java gets
 * them. Update as {@link GoldenFilesTest} says.
 */
class RoutesGoldenFilesTest {
  static final ServiceInput WEB = MeshFixture.input(new ServiceSpec("web", "http", AppProtocol.HTTP,
      List.of(new ClientAlias("web", 8080)), null, new ServicePolicy(new Timeout(120, 10), null, null, null, null, null),
      new Traffic(List.of(
          new RouteRule("refunds", new RouteMatch(new PathMatch("/refunds/", null, null), List.of("POST"), null, null),
              List.of(new Destination("refunds", null)), new Timeout(null, 30), new RetryPolicy(0, null, null)),
          new RouteRule("health", new RouteMatch(new PathMatch(null, "/healthz", null), List.of("GET", "HEAD"), null,
              null), List.of(new Destination(null, 100)), null, null),
          new RouteRule("api-v2", new RouteMatch(new PathMatch(null, null, "/v2/[a-z]+/.*"), null, null, null),
              List.of(new Destination("web-next", 10), new Destination(null, 90), new Destination("web-old", 0)),
              null, new RetryPolicy(1, List.of("5xx"), 500)),
          new RouteRule("acme", new RouteMatch(null, null, List.of(
                  new HeaderMatch("x-tenant", "acme", null, null, null, null),
                  new HeaderMatch("x-user", null, "staff-", null, null, null),
                  new HeaderMatch("x-region", null, null, "eu-[0-9]", null, null),
                  new HeaderMatch("x-debug", null, null, null, true, true)),
              List.of(new QueryMatch("beta", null, null, null, true), new QueryMatch("v", "2", null, null, null))),
              List.of(new Destination("web-next", null)), null, null)))),
      Map.of("web:8080", "127.255.0.9"));

  static final ServiceInput ECHO = MeshFixture.input(new ServiceSpec("echo", "grpc", AppProtocol.GRPC,
      List.of(new ClientAlias("echo", 50051)), null, new ServicePolicy(new Timeout(600, 5), null, null, null, null, null),
      new Traffic(List.of(
          new RouteRule("other", new RouteMatch(new PathMatch("/tether.test.Echo/Other", null, null), null, null, null),
              List.of(new Destination("echo-other", null)), new Timeout(null, 1), null),
          new RouteRule("acme", new RouteMatch(null, null, List.of(
              new HeaderMatch("x-tenant", "acme", null, null, null, null)), null),
              List.of(new Destination("echo-acme", 50), new Destination(null, 50)), null, null)))),
      Map.of("echo:50051", "127.255.0.10"));

  static Map<String, Message> cases() {
    Map<String, Message> out = new LinkedHashMap<>();
    ServiceResources envoy = MeshRenderer.service(WEB, ProxyKind.ENVOY);
    out.put("envoy.rds.web_8080", envoy.routes().get(0));
    for (Listener l : MeshRenderer.service(WEB, ProxyKind.GRPC).listeners()) {
      out.put("grpc.lds." + l.getName(), l);
    }
    out.put("envoy.rds.echo_50051", MeshRenderer.service(ECHO, ProxyKind.ENVOY).routes().get(0));
    for (Listener l : MeshRenderer.service(ECHO, ProxyKind.GRPC).listeners()) {
      out.put("grpc.lds." + l.getName(), l);
    }
    return out;
  }

  @Test
  void servicesWithRoutesMatchTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("routes"), cases());
  }

  /**
   * Envoy's validation rules hold everywhere, and Envoy's routes use no deprecated field. The proxyless
   * ones use exactly the deprecated header matcher fields grpc-java understands (it refuses the newer
   * {@code string_match}), nothing else deprecated.
   */
  @Test
  void everyCasePassesEnvoysValidateRulesAndOnlyProxylessHeadersUseDeprecatedFields() {
    PgvChecker checker = new PgvChecker(RenderedTypes.typeRegistry());
    cases().forEach((name, resource) -> {
      assertThat(checker.violations(resource)).as(name).isEmpty();
      if (name.startsWith("envoy.")) {
        assertThat(checker.deprecated(resource)).as(name).isEmpty();
      } else {
        assertThat(checker.deprecated(resource)).as(name)
            .allMatch(d -> d.matches(".*headers\\[\\d+\\]\\.(exact_match|prefix_match|safe_regex_match): field is deprecated"));
      }
    });
  }

  @Test
  void theDefaultRouteComesLastAndAServiceWithoutRulesRendersOnlyIt() {
    RouteConfiguration web = MeshRenderer.service(WEB, ProxyKind.ENVOY).routes().get(0);
    var routes = web.getVirtualHosts(0).getRoutesList();
    assertThat(routes).extracting(io.envoyproxy.envoy.config.route.v3.Route::getName).containsExactly("refunds", "health", "api-v2", "acme", "");
    assertThat(routes.get(4).getMatch().getPrefix()).isEqualTo("/");
    assertThat(routes.get(4).getRoute().getCluster()).isEqualTo("web.prod");
    assertThat(routes.get(0).getRoute().getTimeout().getSeconds()).as("the rule's own timeout").isEqualTo(30);
    assertThat(routes.get(0).getRoute().getIdleTimeout().getSeconds()).as("the service's idle timeout").isEqualTo(120);
    assertThat(routes.get(0).getRoute().hasRetryPolicy()).as("numRetries 0: no retry policy").isFalse();
    assertThat(routes.get(4).getRoute().getRetryPolicy().getNumRetries().getValue())
        .as("the namespace default's 3 retries").isEqualTo(3);

    ServiceSpec plain = WEB.spec().withPolicy(WEB.spec().policy());
    ServiceInput noRules = MeshFixture.input(new ServiceSpec(plain.discoveryName(), plain.portName(),
        plain.appProtocol(), plain.clientAliases(), null, plain.policy()), WEB.vips());
    assertThat(MeshRenderer.service(noRules, ProxyKind.ENVOY).routes().get(0).getVirtualHosts(0).getRoutesList())
        .containsExactly(routes.get(4));
  }
}
