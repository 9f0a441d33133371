package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import io.tether.registry.store.LeaseRecord;
import io.tether.registry.store.RegistryStore;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The lease operations as the REST API offers them: grant (in a namespace that exists, with a TTL in
 * bounds), keep alive and revoke, each only in a namespace the caller may register in ({@code mayUse}).
 * Reads go through {@link RegistryService#read}, so a grant right after a namespace create sees it.
 */
final class LeaseService {
  private static final long DEFAULT_TTL = 10;
  private static final long MIN_TTL = 2;
  private static final long MAX_TTL = 3600;

  private final RegistryService registry;
  private final RegistryStore store;

  LeaseService(RegistryService registry, RegistryStore store) {
    this.registry = registry;
    this.store = store;
  }

  CompletableFuture<ApiResponse> grant(byte[] body, Function<String, Boolean> mayUse) {
    Representations.LeaseGrant grant = Json.parse(body, Representations.LeaseGrant.class);
    long ttl = grant.ttlSeconds() == null ? DEFAULT_TTL : grant.ttlSeconds();
    if (ttl < MIN_TTL || ttl > MAX_TTL) {
      throw new RegistryException(ErrorCode.INVALID_ARGUMENT,
          "ttlSeconds must be between " + MIN_TTL + " and " + MAX_TTL, "ttlSeconds");
    }
    String ns = Names.requireLabel("namespace", grant.namespace());
    if (!mayUse.apply(ns)) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED, "may not hold leases in namespace '" + ns + "'", "namespace");
    }
    return registry.read(s -> ApiResponse.ok(RegistryService.requireNamespace(s, ns)))
        .thenCompose(known -> store.leases().grantLease(ns, ttl).thenApply(l ->
            new ApiResponse(201, new Representations.LeaseView(l.leaseId(), l.ttlSeconds(), l.namespace()), null)));
  }

  CompletableFuture<ApiResponse> keepAlive(long id, Function<String, Boolean> mayUse) {
    return owned(id, mayUse).thenCompose(lease -> store.leases().keepAlive(id).thenApply(ttl ->
        ApiResponse.ok(new Representations.LeaseView(id, ttl, lease.namespace()))));
  }

  CompletableFuture<ApiResponse> revoke(long id, Function<String, Boolean> mayUse) {
    return owned(id, mayUse).thenCompose(lease -> store.leases().revokeLease(id)).thenApply(revision -> {
      registry.noteWritten(revision);
      return ApiResponse.noContent();
    });
  }

  private CompletableFuture<LeaseRecord> owned(long id, Function<String, Boolean> mayUse) {
    return store.leases().lease(id).thenApply(lease -> {
      if (!mayUse.apply(lease.namespace())) {
        throw new RegistryException(ErrorCode.PERMISSION_DENIED, "lease " + id + " belongs to another namespace");
      }
      return lease;
    });
  }
}
