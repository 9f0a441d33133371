package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.model.ClientAlias;
import io.tether.model.ImportFrom;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Sharing;
import io.tether.model.Timeout;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exports and imports as the publisher serves them (README "Exports and imports"): a PENDING import is
 * nothing; exporting to the importer's namespace makes it ACTIVE, which brings the exporter's cluster and
 * endpoints under the import's listener and route; an exporter's endpoint change re-renders that one
 * assignment; withdrawing the export (or deleting the exporter) takes it all away again.
 */
class ExportsPublisherTest extends PublisherFixture {
  static final GroupKey DEV_ENVOY = new GroupKey("dev", ProxyKind.ENVOY, List.of());
  static final GroupKey DEV_GRPC = GroupKey.grpc("dev");
  static final String PAYMENTS = "payments.prod";

  private static ServiceSpec payments(List<String> exports) {
    ServiceSpec plain = Registry.httpSpec("payments");
    return new ServiceSpec("payments", plain.portName(), plain.appProtocol(), plain.clientAliases(), null,
        plain.policy(), plain.traffic(), new Sharing(exports, null));
  }

  private static ServiceSpec pay() {
    return new ServiceSpec("pay", "http", null, List.of(new ClientAlias("pay", 9090)), null, null, null,
        new Sharing(List.of(), new ImportFrom("prod", "payments")));
  }

  /** prod/payments with one endpoint, not exported; dev/pay importing it with its VIP; dev's groups connected. */
  private void startPending() throws Exception {
    startWithWebAndApi();
    view.putService("prod", "payments", "10.0.1.1");
    view.putSpec("dev", pay());
    view.putVip("dev", "pay:9090", "127.255.0.7");
    connect(DEV_ENVOY);
    connect(DEV_GRPC);
    publisher.awaitIdle();
  }

  private void export(List<String> to) throws Exception {
    view.putSpec("prod", payments(to));
    publisher.awaitIdle();
  }

  @Test
  void aPendingImportIsNothingAndAnExportMakesItActive() throws Exception {
    startPending();
    assertThat(served(DEV_ENVOY).of(ResourceType.CLUSTER).resources()).isEmpty();
    assertThat(served(DEV_ENVOY).of(ResourceType.LISTENER).resources()).isEmpty();
    assertThat(served(DEV_GRPC).of(ResourceType.LISTENER).resources()).isEmpty();

    export(List.of("qa"));
    assertThat(served(DEV_ENVOY).of(ResourceType.CLUSTER).resources()).as("exported elsewhere only").isEmpty();

    GroupSnapshot before = served(DEV_ENVOY);
    export(List.of("qa", "dev"));
    assertThat(changedNames(before, served(DEV_ENVOY))).containsExactlyInAnyOrder(ResourceType.CLUSTER + " " + PAYMENTS,
        ResourceType.ENDPOINT + " " + PAYMENTS, ResourceType.LISTENER + " egress:pay:9090",
        ResourceType.ROUTE + " pay:9090");
    assertThat(served(DEV_GRPC).of(ResourceType.LISTENER).resources()).containsKeys("pay:9090", "pay");
    assertThat(served(DEV_GRPC).of(ResourceType.ENDPOINT).resources()).containsKey(PAYMENTS);
  }

  @Test
  void anExporterEndpointChangeReRendersThatAssignmentOnly() throws Exception {
    startPending();
    export(List.of("dev"));
    GroupSnapshot envoy = served(DEV_ENVOY);
    GroupSnapshot grpc = served(DEV_GRPC);
    long renders = publisher.assignmentRenders();

    view.putEndpoints("prod", "payments", "10.0.1.1", "10.0.1.2");
    publisher.awaitIdle();
    assertThat(changedNames(envoy, served(DEV_ENVOY))).containsExactly(ResourceType.ENDPOINT + " " + PAYMENTS);
    assertThat(changedNames(grpc, served(DEV_GRPC))).containsExactly(ResourceType.ENDPOINT + " " + PAYMENTS);
    assertThat(publisher.assignmentRenders() - renders).as("one render, shared by dev's groups").isEqualTo(1);

    // A change to another service of prod, or to one of ns, costs dev nothing.
    GroupSnapshot unchanged = served(DEV_ENVOY);
    view.putService("prod", "ledger", "10.0.2.1");
    view.putEndpoints("ns", "web", "10.0.0.9");
    publisher.awaitIdle();
    assertThat(served(DEV_ENVOY)).isSameAs(unchanged);
  }

  @Test
  void withdrawingTheExportOrDeletingTheExporterClosesTheImport() throws Exception {
    startPending();
    export(List.of("dev"));
    assertThat(served(DEV_ENVOY).of(ResourceType.CLUSTER).resources()).containsKey(PAYMENTS);

    export(List.of());
    assertThat(served(DEV_ENVOY).of(ResourceType.CLUSTER).resources()).isEmpty();
    assertThat(served(DEV_ENVOY).of(ResourceType.ENDPOINT).resources()).isEmpty();
    assertThat(served(DEV_ENVOY).of(ResourceType.LISTENER).resources()).isEmpty();
    assertThat(served(DEV_ENVOY).of(ResourceType.ROUTE).resources()).isEmpty();

    export(List.of("dev"));
    assertThat(served(DEV_GRPC).of(ResourceType.LISTENER).resources()).containsKey("pay:9090");
    view.removeService("prod", "payments");
    publisher.awaitIdle();
    assertThat(served(DEV_GRPC).of(ResourceType.LISTENER).resources()).isEmpty();
    assertThat(served(DEV_GRPC).of(ResourceType.CLUSTER).resources()).isEmpty();
  }

  /**
   * Editing the exports changes what the exporter's ingress admits (the namespace wall), not what its
   * callers get: its own namespace's callers and the importers that stay are re-sent nothing.
   */
  @Test
  void anotherExportChangesTheIngressOnly() throws Exception {
    GroupKey prodCaller = new GroupKey("prod", ProxyKind.ENVOY, List.of());
    GroupKey prodSidecar = new GroupKey("prod", ProxyKind.ENVOY, List.of(new ServedService("payments", 15000, 8080)));
    startPending();
    connect(prodCaller);
    connect(prodSidecar);
    export(List.of("dev"));
    GroupSnapshot caller = served(prodCaller);
    GroupSnapshot sidecar = served(prodSidecar);
    GroupSnapshot importer = served(DEV_ENVOY);

    export(List.of("dev", "qa"));
    assertThat(changedNames(caller, served(prodCaller))).as("prod's callers").isEmpty();
    assertThat(changedNames(importer, served(DEV_ENVOY))).as("dev's importer").isEmpty();
    assertThat(changedNames(sidecar, served(prodSidecar))).as("payments' own sidecar: its ingress only")
        .contains(ResourceType.LISTENER + " ingress:payments")
        .allMatch(n -> n.endsWith(" ingress:payments") || n.endsWith(" local:payments"));
  }

  /** The exporter's namespace defaults are part of its policy: a change of them reaches the importers. */
  @Test
  void theExportersNamespaceDefaultsReachTheImport() throws Exception {
    startPending();
    export(List.of("dev"));
    GroupSnapshot before = served(DEV_ENVOY);
    view.putNamespaceDefaults("prod", new ServicePolicy(new Timeout(120, 3), null, null, null, null, null));
    publisher.awaitIdle();
    assertThat(changedNames(before, served(DEV_ENVOY))).contains(ResourceType.ROUTE + " pay:9090");
    var route = (io.envoyproxy.envoy.config.route.v3.RouteConfiguration) served(DEV_ENVOY).of(ResourceType.ROUTE)
        .resources().get("pay:9090").resource();
    assertThat(route.getVirtualHosts(0).getRoutes(0).getRoute().getTimeout().getSeconds()).isEqualTo(3);
  }

  /** The import's VIP is its namespace's: a new one moves its listener, versioned as any service's by its VIPs. */
  @Test
  void aNewVipOfTheImportMovesItsListener() throws Exception {
    startPending();
    export(List.of("dev"));
    GroupSnapshot before = served(DEV_ENVOY);
    view.putVip("dev", "pay:9090", "127.255.0.8");
    publisher.awaitIdle();
    assertThat(changedNames(before, served(DEV_ENVOY))).containsExactlyInAnyOrder(
        ResourceType.LISTENER + " egress:pay:9090", ResourceType.CLUSTER + " " + PAYMENTS,
        ResourceType.ROUTE + " pay:9090");
    var listener = (io.envoyproxy.envoy.config.listener.v3.Listener) served(DEV_ENVOY).of(ResourceType.LISTENER)
        .resources().get("egress:pay:9090").resource();
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("127.255.0.8");
  }
}
