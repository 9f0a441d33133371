package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.ns;
import static io.tether.registry.api.RegistryApi.require;

import io.tether.model.Endpoint;
import io.tether.model.InvalidSpecException;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.model.Validation;
import io.tether.model.json.Json;
import io.tether.registry.store.EndpointBatchStore;
import io.tether.registry.store.EndpointBatchStore.Entry;
import io.tether.registry.store.RegistryStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code PUT /v1/namespaces/{ns}/endpoints}: registers or replaces several endpoints of a namespace at
 * once, all or nothing, in one etcd transaction (README, "REST API"; why: docs/scale.md "Registration
 * throughput"). Endpoints the body does not list are left alone. Every entry is checked like the single
 * {@code PUT .../endpoints/{id}} before anything is written, and a refusal names the entry's field as
 * {@code endpoints[i]...}. Same rights as the single write: admin, or an agent token of the namespace,
 * whose entries must each carry a {@code leaseId}.
 */
final class EndpointBatchRoutes {
  static final String PATH = "/v1/namespaces/:ns/endpoints";
  /**
   * At most this many entries: with one compare per distinct service and per distinct lease, a batch stays
   * within etcd's default of 128 operations per transaction ({@code --max-txn-ops}).
   */
  static final int MAX_ENTRIES = 64;

  /** The body. */
  record BatchRequest(List<BatchEntry> endpoints) {}

  /** One entry of the body: which endpoint, and its value as the single PUT takes it. */
  record BatchEntry(String service, String id, Endpoint endpoint) {}

  /** The answer: the batch's etcd revision (every endpoint's new ETag), and each entry's outcome in order. */
  record BatchAnswer(long revision, List<EntryAnswer> endpoints) {}

  record EntryAnswer(String service, String id, boolean created) {}

  private EndpointBatchRoutes() {}

  static void mount(RegistryApi api, RegistryService service, RegistryStore store) {
    EndpointBatchStore batches = store.endpointBatches();
    api.on(HttpMethod.PUT, PATH, ctx -> {
      require(ctx, caller(ctx).canRegisterIn(ns(ctx)));
      refusePreconditions(ctx);
      String ns = Names.requireLabel("namespace", ns(ctx));
      List<Entry> entries = entries(Json.parse(body(ctx), BatchRequest.class), !caller(ctx).canConfigure());
      async(ctx, () -> service.checked(s -> {
        for (int i = 0; i < entries.size(); i++) {
          ImportRules.requireNotImport(s, ns, entries.get(i).service(), "endpoints[" + i + "].service");
        }
      }).thenCompose(ok -> batches.put(ns, entries)).thenApply(written -> {
        service.noteWritten(written.revision());
        List<EntryAnswer> answers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
          answers.add(new EntryAnswer(entries.get(i).service(), entries.get(i).id(), written.created().get(i)));
        }
        return new ApiResponse(200, new BatchAnswer(written.revision(), answers), null);
      }));
    });
  }

  /** A batch has no single version to compare: If-Match and If-None-Match are refused rather than ignored. */
  private static void refusePreconditions(RoutingContext ctx) {
    for (String header : List.of("If-Match", "If-None-Match")) {
      if (ctx.request().getHeader(header) != null) {
        throw new InvalidSpecException(header, header + " is not supported on a batch; use the single PUT"
            + " .../services/{svc}/endpoints/{id} for a conditional write");
      }
    }
  }

  /** The validated entries; the first bad one is refused naming its field. {@code leaseRequired}: an agent's batch. */
  private static List<Entry> entries(BatchRequest request, boolean leaseRequired) {
    List<BatchEntry> listed = request.endpoints();
    if (listed == null || listed.isEmpty()) {
      throw new InvalidSpecException("endpoints", "endpoints must list at least one endpoint");
    }
    if (listed.size() > MAX_ENTRIES) {
      throw new InvalidSpecException("endpoints", "endpoints lists " + listed.size() + " endpoints; a batch holds at most "
          + MAX_ENTRIES);
    }
    List<Entry> entries = new ArrayList<>(listed.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < listed.size(); i++) {
      Entry entry = entry("endpoints[" + i + "]", listed.get(i), leaseRequired);
      if (!seen.add(entry.service() + "/" + entry.id())) {
        throw new InvalidSpecException("endpoints[" + i + "].id",
            "endpoint '" + entry.id() + "' of service '" + entry.service() + "' is listed twice");
      }
      entries.add(entry);
    }
    return entries;
  }

  private static Entry entry(String field, BatchEntry e, boolean leaseRequired) {
    if (e == null) {
      throw new InvalidSpecException(field, field + " must be an object");
    }
    within(field + ".", () -> Names.requireLabel("service", e.service()));
    within(field + ".", () -> Names.requireEndpointId("id", e.id()));
    if (e.endpoint() == null) {
      throw new InvalidSpecException(field + ".endpoint", field + ".endpoint is required");
    }
    Endpoint valid = within(field + ".endpoint.", () -> Validation.endpoint(e.endpoint()));
    if (leaseRequired && valid.leaseId() == null) {
      throw new InvalidSpecException(field + ".endpoint.leaseId",
          "agents register endpoints under a lease: " + field + ".endpoint.leaseId is required");
    }
    return new Entry(e.service(), e.id(), valid);
  }

  /** Runs a check of the single write, its refusal's field put under {@code prefix} (e.g. {@code endpoints[2].endpoint.}). */
  private static <T> T within(String prefix, Supplier<T> check) {
    try {
      return check.get();
    } catch (RegistryException refused) {
      String field = prefix + (refused.field() == null ? "" : refused.field());
      throw new InvalidSpecException(field, field + ": " + refused.getMessage());
    }
  }
}
