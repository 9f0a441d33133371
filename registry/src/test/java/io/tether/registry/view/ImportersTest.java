package io.tether.registry.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.model.ClientAlias;
import io.tether.model.ImportFrom;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Sharing;
import io.tether.model.json.Json;
import io.tether.registry.store.RegistryKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The importers index as the view keeps it (README "Exports and imports"): each spec write moves its
 * import, a load builds the same index from scratch, and an import is ACTIVE only while its exporter
 * exists and exports to the import's namespace.
 */
class ImportersTest {
  private static ServiceSpec importOf(String svc, String fromNs, String fromSvc) {
    return new ServiceSpec(svc, "http", null, List.of(new ClientAlias(svc, 9090)), null, null, null,
        new Sharing(List.of(), new ImportFrom(fromNs, fromSvc)));
  }

  private static ServiceSpec exporter(String svc, String... exports) {
    return new ServiceSpec(svc, "http", null, List.of(new ClientAlias(svc, 8080)), null, ServicePolicy.EMPTY, null,
        new Sharing(List.of(exports), null));
  }

  private static void put(StateMutation m, String ns, ServiceSpec spec, long rev) {
    m.apply(new RegistryKey.ServiceKey(ns, spec.discoveryName()), Json.write(spec), rev);
  }

  @Test
  void eachWriteMovesItsImportAndALoadBuildsTheSameIndex() {
    StateMutation m = new StateMutation(RegistryState.EMPTY);
    m.apply(new RegistryKey.NamespaceKey("dev"), Json.write(new Namespace("dev", null, ServicePolicy.EMPTY)), 1);
    put(m, "dev", importOf("pay", "prod", "payments"), 2);
    put(m, "qa", importOf("payments", "prod", "payments"), 3);
    RegistryState s = m.result(3);
    assertThat(s.importers().of("prod", "payments"))
        .containsExactlyInAnyOrder(new Importer("dev", "pay"), new Importer("qa", "payments"));

    StateMutation next = new StateMutation(s);
    put(next, "dev", importOf("pay", "prod", "ledger"), 4);
    next.apply(new RegistryKey.ServiceKey("qa", "payments"), null, 5);
    RegistryState after = next.result(5);
    assertThat(after.importers().of("prod", "payments")).isEmpty();
    assertThat(after.importers().byExporter()).doesNotContainKey(new ImportFrom("prod", "payments"));
    assertThat(after.importers().of("prod", "ledger")).containsExactly(new Importer("dev", "pay"));
    assertThat(new RegistryState(5, after.namespaces()).importers()).isEqualTo(after.importers());
    assertThat(s.importers().of("prod", "payments")).as("the old state is untouched").hasSize(2);
  }

  @Test
  void anImportIsActiveWhileItsExporterExportsToItsNamespace() {
    StateMutation m = new StateMutation(RegistryState.EMPTY);
    put(m, "dev", importOf("pay", "prod", "payments"), 1);
    assertThat(ImportState.of(m.result(1), "dev", "pay")).isEqualTo(ImportState.PENDING);
    put(m, "prod", exporter("payments", "qa"), 2);
    assertThat(ImportState.of(m.result(2), "dev", "pay")).isEqualTo(ImportState.PENDING);
    put(m, "prod", exporter("payments", "qa", "dev"), 3);
    RegistryState active = m.result(3);
    assertThat(ImportState.of(active, "dev", "pay")).isEqualTo(ImportState.ACTIVE);
    assertThat(active.activeExporter("dev", "pay")).map(v -> v.value().discoveryName()).contains("payments");
    assertThat(active.activeExporter("prod", "payments")).as("no import").isEmpty();
  }
}
