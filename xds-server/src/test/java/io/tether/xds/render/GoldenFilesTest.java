package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.type.v3.Percent;
import io.tether.model.VipRange;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fixture namespace's resources, as JSON, against reviewed files under
 * {@code src/test/resources/golden/{envoy,grpc}/} (what each kind of node is rendered), and
 * {@code golden/envoy-server-only/} and {@code golden/envoy-vip-range/} (what the publisher sends nodes
 * whose metadata says so): a diff there is a reviewable change in what proxies receive. Run with
 * {@code -Dgolden.update=true} to rewrite them, then read the diff.
 */
class GoldenFilesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(RenderedTypes.typeRegistry())
      .preservingProtoFieldNames()
      .sortingMapKeys()
      // Zero values that matter to a reader: the breakers' priority, the panic threshold of 0 %.
      .includingDefaultValueFields(Set.of(
          CircuitBreakers.Thresholds.getDescriptor().findFieldByName("priority"),
          Percent.getDescriptor().findFieldByName("value")));

  @ParameterizedTest
  @EnumSource(ProxyKind.class)
  void renderedResourcesMatchTheReviewedGoldenFiles(ProxyKind kind) throws IOException {
    assertMatchesGoldenDir(GOLDEN.resolve(kind.name().toLowerCase(Locale.ROOT)), MeshFixture.render(kind));
  }

  /** Nodes whose metadata changes which resources they get, or where: each a directory of its own. */
  enum Node {
    /** An ECS task's sidecar ({@code mode: server-only}): its ingress, nothing of its namespace's services. */
    ENVOY_SERVER_ONLY(new GroupKey(MeshFixture.NS, ProxyKind.ENVOY, MeshFixture.SERVED, true, null)),
    /** A host agent's Envoy ({@code mode: client-only, vipRange: 100.127.0.0/16}): the aliases re-based. */
    ENVOY_VIP_RANGE(new GroupKey(MeshFixture.NS, ProxyKind.ENVOY, List.of(), false,
        VipRange.parse("100.127.0.0/16")));

    final GroupKey group;

    Node(GroupKey group) {
      this.group = group;
    }

    Path dir() {
      return GOLDEN.resolve(name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
  }

  @ParameterizedTest
  @EnumSource(Node.class)
  void publishedSnapshotsOfTheseNodesMatchTheReviewedGoldenFiles(Node node) throws Exception {
    assertMatchesGoldenDir(node.dir(), PublishedGroup.firstSnapshot(node.group));
  }

  /** The publisher sends a plain sidecar exactly what the envoy/ golden files hold, which the node cases compare to. */
  @Test
  void aPlainSidecarIsPublishedWhatTheEnvoyGoldenFilesHold() throws Exception {
    Map<String, Message> published = PublishedGroup.firstSnapshot(
        new GroupKey(MeshFixture.NS, ProxyKind.ENVOY, MeshFixture.SERVED));
    assertThat(published).isEqualTo(MeshFixture.render(ProxyKind.ENVOY));
  }

  static void assertMatchesGoldenDir(Path dir, Map<String, Message> rendered) throws IOException {
    Map<String, String> expected = new TreeMap<>();
    rendered.forEach((key, resource) -> {
      String file = fileName(key);
      assertThat(expected.put(file, json(resource))).as("two resources map to " + file).isNull();
    });

    if (UPDATE) {
      Files.createDirectories(dir);
      for (Path stale : list(dir)) {
        if (!expected.containsKey(stale.getFileName().toString())) {
          Files.delete(stale);
        }
      }
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }

    assertThat(list(dir).stream().map(p -> p.getFileName().toString()))
        .as("golden files in %s (stale or missing ones: rerun with -Dgolden.update=true)", dir)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat(e.getValue())
          .as("%s differs from its golden file (rerun with -Dgolden.update=true and review the diff)", e.getKey())
          .isEqualTo(Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8));
    }
  }

  /** Every case passes Envoy's validate rules (PGV) and sets no deprecated field. */
  static void assertValidAndCurrent(Map<String, ? extends Message> cases) {
    PgvChecker checker = new PgvChecker(RenderedTypes.typeRegistry());
    cases.forEach((name, resource) -> {
      assertThat(checker.violations(resource)).as(name).isEmpty();
      assertThat(checker.deprecated(resource)).as(name).isEmpty();
    });
  }

  /** {@code lds.egress:payments:8080} -> {@code lds.egress_payments_8080.json}. */
  static String fileName(String key) {
    return key.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
  }

  static String json(Message resource) {
    try {
      return PRINTER.print(resource) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
