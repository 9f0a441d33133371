package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Validation;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.registry.view.NamespaceEntry;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.ServiceEntry;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * Exports and imports (README "Exports and imports") as the publisher sends them, against reviewed files
 * under {@code golden/exports/}: namespace {@code dev} imports {@code prod/payments} as {@code pay:9090}, and
 * its callers get the exporter's cluster ({@code payments.prod}, its SNI, TLS and policy), its subsets and
 * endpoints, under the import's listener, route and VIP; the route to another service of {@code prod} is
 * left out. A PENDING import renders nothing. Update as {@link GoldenFilesTest} says.
 */
class ExportsGoldenFilesTest {
  static final GroupKey DEV_ENVOY = new GroupKey("dev", ProxyKind.ENVOY, List.of());
  static final GroupKey DEV_GRPC = GroupKey.grpc("dev");
  static final GroupKey PROD_ENVOY = new GroupKey("prod", ProxyKind.ENVOY,
      List.of(new ServedService("payments", 15000, 8080)));

  static final String PAYMENTS = "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":"
      + "\"payments\",\"port\":8080}],\"timeout\":{\"perRequestTimeoutSeconds\":7},"
      + "\"subsets\":[{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}],"
      + "\"routes\":[{\"name\":\"beta\",\"match\":{\"path\":{\"prefix\":\"/beta/\"}},\"to\":[{\"subset\":\"v2\"}]},"
      + "{\"name\":\"ledger\",\"match\":{\"path\":{\"prefix\":\"/ledger/\"}},\"to\":[{\"service\":\"ledger\"}]}]"
      + "%s}";
  static final String LEDGER = "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":"
      + "\"ledger\",\"port\":8080}]}";
  static final String PAY = "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"pay\",\"port\":9090}],"
      + "\"importFrom\":{\"namespace\":\"prod\",\"service\":\"payments\"}}";

  static ServiceSpec spec(String ns, String svc, String json) {
    return Validation.service(ns, svc, Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class));
  }

  /** prod (payments, exported to dev when {@code exported}, and ledger) and dev (the import pay), at revision 1. */
  static RegistryState state(boolean exported) {
    ServiceSpec payments = spec("prod", "payments", String.format(PAYMENTS, exported ? ",\"exports\":[\"dev\"]" : ""));
    PMap<String, Versioned<Endpoint>> endpoints = HashTreePMap.<String, Versioned<Endpoint>>empty()
        .plus("t1", endpoint("10.0.1.1", "v1")).plus("t2", endpoint("10.0.1.2", "v2"));
    NamespaceEntry prod = new NamespaceEntry(new Versioned<>(new Namespace("prod", "exporter", ServicePolicy.EMPTY), 1),
        HashTreePMap.<String, ServiceEntry>empty()
            .plus("payments", new ServiceEntry(new Versioned<>(payments, 1), endpoints))
            .plus("ledger", new ServiceEntry(new Versioned<>(spec("prod", "ledger", LEDGER), 1), HashTreePMap.empty())),
        HashTreePMap.<String, String>empty().plus("payments:8080", "127.255.0.1").plus("ledger:8080", "127.255.0.2"));
    NamespaceEntry dev = new NamespaceEntry(new Versioned<>(new Namespace("dev", "importer", ServicePolicy.EMPTY), 1),
        HashTreePMap.singleton("pay", new ServiceEntry(new Versioned<>(spec("dev", "pay", PAY), 1), HashTreePMap.empty())),
        HashTreePMap.singleton("pay:9090", "127.255.0.7"));
    return new RegistryState(1, HashTreePMap.<String, NamespaceEntry>empty().plus("prod", prod).plus("dev", dev));
  }

  private static Versioned<Endpoint> endpoint(String address, String version) {
    return new Versioned<>(new Endpoint(address, 8080, "us-east-1a", Health.HEALTHY, null, null, Map.of(), null,
        Map.of("version", version)), 1);
  }

  @Test
  void anActiveImportMatchesTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("exports/envoy"),
        PublishedGroup.firstSnapshot(DEV_ENVOY, state(true)));
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("exports/grpc"),
        PublishedGroup.firstSnapshot(DEV_GRPC, state(true)));
  }

  /** The exporter's ingress: its namespace wall admits the namespaces it is exported to (docs/security.md). */
  @Test
  void theExportersWallMatchesTheReviewedGoldenFile() throws Exception {
    Map<String, Message> prod = PublishedGroup.firstSnapshot(PROD_ENVOY, state(true));
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("exports/exporter"),
        Map.of("lds.ingress:payments", prod.get("lds.ingress:payments")));
    assertThat(prod.get("lds.ingress:payments").toString()).contains("spiffe://tether.local/ns/dev/");
    assertThat(PublishedGroup.firstSnapshot(PROD_ENVOY, state(false)).get("lds.ingress:payments").toString())
        .doesNotContain("/ns/dev/");
  }

  @Test
  void aPendingImportRendersNothing() throws Exception {
    assertThat(PublishedGroup.firstSnapshot(DEV_ENVOY, state(false))).isEmpty();
    assertThat(PublishedGroup.firstSnapshot(DEV_GRPC, state(false))).isEmpty();
  }

  @Test
  void importersGetNoRouteToAnotherServiceOfTheExportersNamespace() throws Exception {
    Map<String, Message> envoy = PublishedGroup.firstSnapshot(DEV_ENVOY, state(true));
    RouteConfiguration route = (RouteConfiguration) envoy.get("rds.pay:9090");
    assertThat(route.toString()).contains("payments~v2.prod").doesNotContain("ledger");
    assertThat(envoy.keySet()).noneMatch(k -> k.contains("ledger"));
  }

  /** The exporter's own sidecar is rendered as before: the import changes nothing in prod. */
  @Test
  void theExportersNamespaceStillGetsItsOwnRoutes() throws Exception {
    Map<String, Message> prod = PublishedGroup.firstSnapshot(PROD_ENVOY, state(true));
    assertThat(prod.get("rds.payments:8080").toString()).contains("ledger.prod");
  }

  @Test
  void everyCasePassesEnvoysValidateRulesAndUsesNoDeprecatedField() throws Exception {
    GoldenFilesTest.assertValidAndCurrent(PublishedGroup.firstSnapshot(DEV_ENVOY, state(true)));
  }
}
