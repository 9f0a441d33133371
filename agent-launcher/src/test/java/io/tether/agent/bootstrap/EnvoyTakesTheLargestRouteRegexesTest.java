package io.tether.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.model.RegexProgramSize;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With the agent's bootstrap, a real Envoy ({@code --mode validate}) takes a route with the largest regexes
 * the registry lets through, as a path and as a header match; and still refuses one whose RE2 program is
 * above the bootstrap's error level, so the level is the one in force.
 */
class EnvoyTakesTheLargestRouteRegexesTest {
  /** Bound 996 ({@code {1,198}} is 1001); Envoy 1.40 measures it at 798. */
  private static final String USERS = "/users/[a-z0-9-]{1,197}";
  /** Bound 1000 ({@code {498}} is 1002); Envoy 1.40 measures it at 998, the closest the bound comes. */
  private static final String HEX = "[a-f0-9]{497}";

  @Test
  void theRegistrysLargestRegexesAreAcceptedAndAProgramAboveTheErrorLevelIsNot() throws Exception {
    assertThat(RegexProgramSize.of(USERS)).isLessThanOrEqualTo(RegexProgramSize.MAX);
    assertThat(RegexProgramSize.of("/users/[a-z0-9-]{1,198}")).isGreaterThan(RegexProgramSize.MAX);
    assertThat(RegexProgramSize.of(HEX)).isEqualTo(RegexProgramSize.MAX);

    assertThat(validate(USERS, HEX)).contains("OK");
    // 2 * 999 + 4 instructions, above the error level of 2000.
    assertThat(validate("/a", "[a-f0-9]{999}")).contains("RE2 program size of 2002 > max program size of 2000");
  }

  /** Envoy's validate log for the agent's bootstrap with a route on {@code pathRegex} and an x-id header regex. */
  private static String validate(String pathRegex, String headerRegex) throws Exception {
    Path dir = TestEtcd.tempDir("regex");
    Path bootstrap = dir.resolve("bootstrap.json");
    Files.writeString(bootstrap, withRoute(pathRegex, headerRegex));
    Path out = dir.resolve("validate.log");
    Process envoy = new ProcessBuilder(Prerequisites.envoy().toString(), "--mode", "validate", "-c", bootstrap.toString(),
        "--concurrency", "1", "--log-level", "warn").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertThat(envoy.waitFor(60, TimeUnit.SECONDS)).as("envoy --mode validate finished").isTrue();
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      envoy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String withRoute(String pathRegex, String headerRegex) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode bootstrap = (ObjectNode) json.readTree(EnvoyBootstrap.json(EnvoyBootstrap.render(new BootstrapSpec(
        "web-1", "web", "prod", List.of(), "127.0.0.1", 18000, "token", 9901, null))));
    String route = """
        {"match": {"safe_regex": {"regex": %s},
                   "headers": [{"name": "x-id", "string_match": {"safe_regex": {"regex": %s}}}]},
         "direct_response": {"status": 200}}""".formatted(json.writeValueAsString(pathRegex),
        json.writeValueAsString(headerRegex));
    String listener = """
        {"name": "routes", "address": {"socket_address": {"address": "127.0.0.1", "port_value": 15001}},
         "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
           "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
           "stat_prefix": "routes",
           "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
             "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}],
           "route_config": {"virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [%s]}]}}}]}]}
        """.formatted(route);
    ((ObjectNode) bootstrap.get("static_resources")).putArray("listeners").add(json.readTree(listener));
    return json.writeValueAsString(bootstrap);
  }
}
