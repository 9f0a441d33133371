package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import picocli.CommandLine.Command;

/**
 * {@code tether status}: the control plane at a glance ({@code GET /v1/status}; docs/operations.md,
 * "Status"): version, view, replicas, etcd members, proxies by state.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the server version, its replicas, the etcd members and their health, and proxies by sync state.")
public final class StatusCommand extends OperatorCommand {
  @Override
  void run(TetherClient client) {
    JsonNode s = client.call("GET", "/v1/status", null).json();
    if (api.json()) {
      printJson(s);
      return;
    }
    JsonNode view = s.path("view");
    out().printf("server   tether %s, replica %s%n", s.path("version").asText(), s.path("replica").asText());
    out().printf("view     revision %d, %d behind etcd, %s%n%n", view.path("revision").asLong(),
        view.path("revisionLag").asLong(), view.path("ready").asBoolean() ? "ready" : "NOT READY: " + view.path("reason").asText());
    Table replicas = new Table("REPLICA", "API", "VERSION", "STARTED");
    s.path("replicas").forEach(r -> replicas.row(r.path("id").asText(), r.path("apiUrl").asText(),
        r.path("version").asText(), r.path("startedAt").asText()));
    replicas.print(out());
    s.path("unreachableReplicas").forEach(r -> out().printf("unreachable replica %s (%s): %s%n",
        r.path("id").asText(), r.path("apiUrl").asText(), r.path("error").asText()));
    out().println();
    printEtcd(s.path("etcd"));
    JsonNode p = s.path("proxies");
    out().printf("%nproxies  %d: %d SYNCED, %d STALE, %d NACKED%n", p.path("total").asInt(),
        p.path("byState").path("SYNCED").asInt(), p.path("byState").path("STALE").asInt(),
        p.path("byState").path("NACKED").asInt());
    s.path("errors").forEach(e -> out().println("error: " + e.asText()));
    out().flush();
  }

  private void printEtcd(JsonNode etcd) {
    if (etcd.has("error")) {
      out().println("etcd     UNHEALTHY: " + etcd.path("error").asText());
      return;
    }
    Table members = new Table("ETCD MEMBER", "CLIENT URL", "HEALTH", "LEADER", "VERSION", "DB SIZE");
    etcd.path("members").forEach(m -> members.row(m.path("name").asText(m.path("id").asText()),
        m.path("clientUrls").path(0).asText(null), m.path("healthy").asBoolean() ? "healthy"
            : "UNHEALTHY: " + texts(m.path("errors")),
        m.path("leader").asBoolean() ? "leader" : "-", m.path("version").asText(null),
        m.has("dbSizeBytes") && !m.path("dbSizeBytes").isNull() ? m.path("dbSizeBytes").asLong() / 1024 + " KiB" : null));
    members.print(out());
  }

  private static String texts(JsonNode array) {
    StringBuilder b = new StringBuilder();
    array.forEach(t -> b.append(b.length() == 0 ? "" : "; ").append(t.asText()));
    return b.toString();
  }
}
