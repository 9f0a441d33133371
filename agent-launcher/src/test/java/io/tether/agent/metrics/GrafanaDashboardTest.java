package io.tether.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/tether-service-connect.json charts what a task exports and nothing else: every PromQL
 * expression (panels and template variables) names only series of {@link ScMetric}, groups only by
 * labels the agent writes, every exported family is charted, and the namespace and service variables
 * filter every panel.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "tether-service-connect.json");
  private static final Set<String> LABELS = Set.of("direction", "namespace", "service", "target", "endpoint", "le");
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "avg", "max", "min", "count", "by", "without", "rate",
      "irate", "increase", "histogram_quantile", "label_values", "topk", "bottomk", "on", "ignoring", "and", "or",
      "unless", "offset", "bool");
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private static JsonNode dashboard() throws Exception {
    return new ObjectMapper().readTree(Files.readString(DASHBOARD));
  }

  /** Every expression of the dashboard: its panels' targets and its query variables. */
  private static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        out.add(variable.path("query").path("query").asText());
      }
    }
    return out;
  }

  /** The metric names an expression reads: what is left once strings, matchers, ranges, groupings and functions go. */
  static Set<String> metricNames(String expr) {
    String bare = STRINGS.matcher(expr).replaceAll("\"\"");
    Matcher grouping = GROUPING.matcher(bare);
    bare = grouping.replaceAll("");
    bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
    bare = bare.replaceAll(",\\s*[a-z_]+\\s*\\)", ")"); // label_values(METRIC, LABEL): the label is no metric
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  @Test
  void everyExpressionNamesOnlySeriesTheAgentExportsAndGroupsByItsLabels() throws Exception {
    List<String> exprs = expressions(dashboard());
    assertThat(exprs).hasSizeGreaterThan(10).allSatisfy(e -> assertThat(e).isNotBlank());
    for (String expr : exprs) {
      assertThat(metricNames(expr)).as("the metrics of %s", expr).isNotEmpty()
          .isSubsetOf(ScMetric.allSeriesNames());
      Matcher grouping = GROUPING.matcher(expr);
      while (grouping.find()) {
        assertThat(Stream.of(grouping.group(1).split(",")).map(String::strip).toList())
            .as("the labels %s groups by", expr).isSubsetOf(LABELS);
      }
    }
  }

  @Test
  void everyExportedFamilyIsChartedAndEveryPanelFollowsTheVariables() throws Exception {
    JsonNode dashboard = dashboard();
    Set<String> charted = new LinkedHashSet<>();
    expressions(dashboard).forEach(e -> charted.addAll(metricNames(e)));
    for (ScMetric metric : ScMetric.values()) {
      assertThat(metric.seriesNames()).as("%s charted", metric.family).containsAnyElementsOf(charted);
    }
    for (JsonNode panel : dashboard.path("panels")) {
      panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(panel.path("title").asText())
          .contains("namespace=~\"$namespace\"").contains("service=~\"$service\""));
    }
    List<String> variables = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
    assertThat(variables).contains("namespace", "service");
  }

  @Test
  void theNameExtractionSeesThroughMatchersGroupingsAndFunctions() {
    assertThat(metricNames("histogram_quantile(0.99, sum by (le, target) (rate(a_bucket{x=~\"y{1}\"}[$__rate_interval])))"))
        .containsExactly("a_bucket");
    assertThat(metricNames("label_values(b_total{namespace=~\"$namespace\"}, service)")).containsExactly("b_total");
    assertThat(metricNames("sum(rate(c_total[5m])) / sum(rate(d_total[5m]))")).containsExactly("c_total", "d_total");
  }
}
