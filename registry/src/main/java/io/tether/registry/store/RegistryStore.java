package io.tether.registry.store;

import static io.tether.registry.store.TxnOps.COUNT_PREFIX;
import static io.tether.registry.store.TxnOps.DELETE_PREFIX;
import static io.tether.registry.store.TxnOps.PREFIX;
import static io.tether.registry.store.TxnOps.absent;
import static io.tether.registry.store.TxnOps.atRevision;
import static io.tether.registry.store.TxnOps.bytes;
import static io.tether.registry.store.TxnOps.modRevision;
import static io.tether.registry.store.TxnOps.present;
import static io.tether.registry.store.TxnOps.put;
import static io.tether.registry.store.TxnOps.requireExists;
import static io.tether.registry.store.TxnOps.suffixMap;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.model.json.Json;
import io.tether.model.Endpoint;
import io.tether.model.ErrorCode;
import io.tether.model.Health;
import io.tether.model.Namespace;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The registry's only writer to etcd. Every write reads what it depends on at one revision, checks
 * the caller's precondition and the domain's invariants, then commits a compare-and-swap transaction
 * on exactly those keys. A lost race is retried from the read (so invariants are re-checked), except
 * that a caller who pinned a revision with If-Match gets PRECONDITION_FAILED. How a write is read,
 * committed and retried: {@link CasWriter}; what its transactions are made of: {@link TxnOps}. The
 * records beside the registry's (leases, drains, tokens, the CA, authorizations) are written by the
 * stores it hands out, such as {@link LeaseStore}, on the same client and deadlines.
 *
 * <p>Callers must validate values first ({@link io.tether.model.Validation}). Thread-safe;
 * nothing blocks: every method returns a future completed on jetcd's threads.
 */
public final class RegistryStore {
  private final KV kv;
  private final KeyLayout keys;
  private final EtcdCalls etcd;
  private final CasWriter cas;
  private final LeaseStore leases;

  public RegistryStore(Client client, KeyLayout keys, MeterRegistry meters, Duration timeout) {
    this.kv = client.getKVClient();
    this.keys = keys;
    this.etcd = new EtcdCalls(meters, timeout);
    this.cas = new CasWriter(kv, etcd);
    this.leases = new LeaseStore(client, keys, etcd);
  }

  public KeyLayout keys() {
    return keys;
  }

  /** The agents' leases: grant, look up, renew, revoke and list, on the same client and deadlines. */
  public LeaseStore leases() {
    return leases;
  }

  /** The generated mesh CA's record, on the same client and deadlines. */
  public CaStore ca() {
    return new CaStore(kv, keys, etcd);
  }

  /** Operators' drains of endpoints, on the same client and deadlines. */
  public DrainStore drains() {
    return new DrainStore(kv, keys, etcd);
  }

  /** The managed tokens' records, on the same client and deadlines. */
  public TokenStore tokens() {
    return new TokenStore(kv, keys, etcd);
  }

  /** Batches of endpoint registrations, one transaction each, on the same client and deadlines. */
  public EndpointBatchStore endpointBatches() {
    return new EndpointBatchStore(kv, keys, etcd, cas);
  }

  /** Authorization rules, on the same client and deadlines. */
  public AuthorizationStore authorizations() {
    return new AuthorizationStore(kv, keys, cas);
  }

  // ---- namespaces ----

  public CompletableFuture<Written> putNamespace(Namespace ns, Precondition pre) {
    ByteSequence key = keys.namespace(ns.name());
    return cas.retrying(() -> cas.read(Op.get(key, GetOption.DEFAULT)).thenCompose(r -> {
      long current = modRevision(r.get(0).getKvs());
      pre.check(current);
      return cas.commit(kv.txn().If(atRevision(key, current)).Then(put(key, Json.write(ns))), current == 0);
    }));
  }

  public CompletableFuture<Written> deleteNamespace(String ns, Precondition pre) {
    ByteSequence key = keys.namespace(ns);
    ByteSequence guard = keys.guard(ns);
    return cas.retrying(() -> cas.read(
        Op.get(key, GetOption.DEFAULT), Op.get(guard, GetOption.DEFAULT),
        Op.get(keys.servicesOf(ns), COUNT_PREFIX), Op.get(keys.authorizationsOf(ns), COUNT_PREFIX)).thenCompose(r -> {
          long current = requireExists(r.get(0).getKvs(), "namespace '" + ns + "'");
          pre.check(current);
          long services = r.get(2).getCount();
          if (services > 0) {
            throw new RegistryException(ErrorCode.FAILED_PRECONDITION,
                "namespace '" + ns + "' still has " + services + " service(s); delete them first");
          }
          AuthorizationStore.requireNone(ns, r.get(3).getCount());
          return cas.commit(kv.txn()
              .If(atRevision(key, current), atRevision(guard, modRevision(r.get(1).getKvs())))
              .Then(Op.delete(key, DeleteOption.DEFAULT), Op.delete(guard, DeleteOption.DEFAULT),
                  Op.delete(keys.vipsOf(ns), DELETE_PREFIX), Op.delete(keys.vipAddressesOf(ns), DELETE_PREFIX)));
        }));
  }

  // ---- services ----

  public CompletableFuture<Written> putService(String ns, ServiceSpec spec, Precondition pre) {
    ByteSequence nsKey = keys.namespace(ns);
    ByteSequence key = keys.service(ns, spec.discoveryName());
    RouteTargets targets = new RouteTargets(keys, ns, spec);
    List<Op> reads = new ArrayList<>(List.of(Op.get(nsKey, GetOption.DEFAULT), Op.get(key, GetOption.DEFAULT),
        Op.get(keys.vipsOf(ns), PREFIX), Op.get(keys.vipAddressesOf(ns), PREFIX), Op.get(keys.guard(ns), GetOption.DEFAULT)));
    reads.addAll(targets.reads());
    return cas.retrying(() -> cas.read(reads.toArray(Op[]::new)).thenCompose(r -> {
          long nsRevision = requireExists(r.get(0).getKvs(), "namespace '" + ns + "'");
          List<KeyValue> existing = r.get(1).getKvs();
          long current = modRevision(existing);
          pre.check(current);
          ServiceSpec previous = existing.isEmpty() ? null : Json.read(existing.get(0).getValue().getBytes(), ServiceSpec.class);
          List<Cmp> targetsExist = new ArrayList<>(targets.compares(r.subList(5, r.size())));
          AliasPlan plan = AliasPlan.compute(ns, previous, spec,
              suffixMap(r.get(2), keys.vipsOf(ns)), suffixMap(r.get(3), keys.vipAddressesOf(ns)));
          boolean dropsSubsets = RouteTargets.dropsSubsets(previous, spec);
          boolean newImport = ImportChecks.introducesImport(previous, spec);
          boolean touchGuard = current == 0 || targets.addsTargetsTo(previous) || newImport;
          if (!dropsSubsets && !newImport) {
            return cas.commit(serviceTxn(ns, spec, key, nsRevision, current, plan, targetsExist, touchGuard), current == 0);
          }
          // Read after the guard: a put that names one of the dropped subsets (or this new import) later, or
          // imports the same exporter, touches the guard and fails this compare; one earlier is in this read.
          targetsExist.add(atRevision(keys.guard(ns), modRevision(r.get(4).getKvs())));
          return cas.read(Op.get(keys.servicesOf(ns), PREFIX)).thenCompose(services -> {
            if (dropsSubsets) {
              RouteTargets.requireKeptSubsets(ns, previous, spec, services.get(0));
            }
            if (newImport) {
              ImportChecks.requireSoleImport(ns, spec, services.get(0));
            }
            return cas.commit(serviceTxn(ns, spec, key, nsRevision, current, plan, targetsExist, touchGuard),
                current == 0);
          });
        }));
  }

  private io.etcd.jetcd.Txn serviceTxn(String ns, ServiceSpec spec, ByteSequence key, long nsRevision,
      long current, AliasPlan plan, List<Cmp> targetsExist, boolean touchGuard) {
    List<Cmp> ifs = new ArrayList<>(List.of(atRevision(keys.namespace(ns), nsRevision), atRevision(key, current)));
    ifs.addAll(targetsExist);
    List<Op> ops = new ArrayList<>(List.of(put(key, Json.write(spec))));
    for (String alias : plan.added()) {
      ifs.add(absent(keys.vip(ns, alias)));
      ops.add(put(keys.vip(ns, alias), plan.vip().getBytes(UTF_8)));
    }
    for (String alias : plan.removed()) {
      ops.add(Op.delete(keys.vip(ns, alias), DeleteOption.DEFAULT));
    }
    if (plan.allocatesVip()) {
      ifs.add(absent(keys.vipAddress(ns, plan.vip())));
      ops.add(put(keys.vipAddress(ns, plan.vip()), spec.discoveryName().getBytes(UTF_8)));
    }
    if (plan.releasedVip() != null) {
      ops.add(Op.delete(keys.vipAddress(ns, plan.releasedVip()), DeleteOption.DEFAULT));
    }
    if (touchGuard) {
      // A namespace delete compares this key, so it cannot miss a service created after its read; a service
      // delete too, so it cannot miss a route that names it written after its read (RouteTargets).
      ops.add(put(keys.guard(ns), spec.discoveryName().getBytes(UTF_8)));
    }
    return kv.txn().If(ifs.toArray(Cmp[]::new)).Then(ops.toArray(Op[]::new));
  }

  public CompletableFuture<Written> deleteService(String ns, String svc, Precondition pre) {
    ByteSequence key = keys.service(ns, svc);
    ByteSequence guard = keys.guard(ns);
    return cas.retrying(() -> cas.read(Op.get(key, GetOption.DEFAULT), Op.get(keys.vipAddressesOf(ns), PREFIX),
            Op.get(guard, GetOption.DEFAULT), Op.get(keys.servicesOf(ns), PREFIX))
        .thenCompose(r -> {
          long current = requireExists(r.get(0).getKvs(), "service '" + ns + "/" + svc + "'");
          pre.check(current);
          RouteTargets.requireUnreferenced(ns, svc, r.get(3));
          ServiceSpec spec = Json.read(r.get(0).getKvs().get(0).getValue().getBytes(), ServiceSpec.class);
          List<Op> ops = new ArrayList<>(List.of(Op.delete(key, DeleteOption.DEFAULT),
              Op.delete(keys.endpointsOf(ns, svc), DELETE_PREFIX), Op.delete(keys.drainsOf(ns, svc), DELETE_PREFIX)));
          spec.clientAliases().forEach(a -> ops.add(Op.delete(keys.vip(ns, a.hostPort()), DeleteOption.DEFAULT)));
          suffixMap(r.get(1), keys.vipAddressesOf(ns)).forEach((ip, owner) -> {
            if (owner.equals(svc)) {
              ops.add(Op.delete(keys.vipAddress(ns, ip), DeleteOption.DEFAULT));
            }
          });
          return cas.commit(kv.txn().If(atRevision(key, current), atRevision(guard, modRevision(r.get(2).getKvs())))
              .Then(ops.toArray(Op[]::new)));
        }));
  }

  // ---- endpoints ----

  /**
   * Registers or updates an endpoint in one round trip: the transaction's compares are the invariants
   * (service exists; lease exists and belongs to this namespace; the caller's precondition), and only
   * when one fails does the else-branch read back what is needed to say which.
   */
  public CompletableFuture<Written> putEndpoint(String ns, String svc, String id, Endpoint ep, Precondition pre) {
    ByteSequence serviceKey = keys.service(ns, svc);
    ByteSequence key = keys.endpoint(ns, svc, id);
    List<Cmp> ifs = new ArrayList<>(List.of(present(serviceKey)));
    pre.compare(key).ifPresent(ifs::add);
    PutOption.Builder option = PutOption.builder().withPrevKV(); // prevKV tells create from update
    List<Op> diagnose = new ArrayList<>(List.of(Op.get(serviceKey, GetOption.DEFAULT), Op.get(key, GetOption.DEFAULT)));
    if (ep.leaseId() != null) {
      ifs.add(present(keys.lease(ep.leaseId(), ns)));
      option.withLeaseId(ep.leaseId());
      diagnose.add(Op.get(keys.leaseRecords(ep.leaseId()), PREFIX));
    }
    Op[] then = {Op.put(key, bytes(Json.write(ep)), option.build())};
    return cas.retrying(() -> etcd.call("txn", () -> kv.txn().If(ifs.toArray(Cmp[]::new))
        .Then(then).Else(diagnose.toArray(Op[]::new)).commit()).thenApply(t -> {
      if (t.isSucceeded()) {
        boolean created = !t.getPutResponses().get(0).hasPrevKv();
        return Optional.of(new Written(t.getHeader().getRevision(), created));
      }
      List<GetResponse> r = t.getGetResponses();
      requireExists(r.get(0).getKvs(), "service '" + ns + "/" + svc + "'");
      pre.check(modRevision(r.get(1).getKvs()));
      if (ep.leaseId() != null) {
        LeaseStore.requireLeaseOf(ns, ep.leaseId(), r.get(2).getKvs());
      }
      return Optional.<Written>empty(); // everything holds now: the state moved under us, try again
    }));
  }

  /** Sets an endpoint's health, keeping its lease; returns the endpoint as written. */
  public CompletableFuture<Versioned<Endpoint>> setEndpointHealth(
      String ns, String svc, String id, Health health, Precondition pre) {
    ByteSequence key = keys.endpoint(ns, svc, id);
    return cas.retrying(() -> cas.read(Op.get(key, GetOption.DEFAULT)).thenCompose(r -> {
      long current = requireExists(r.get(0).getKvs(), "endpoint '" + id + "' of '" + ns + "/" + svc + "'");
      pre.check(current);
      KeyValue stored = r.get(0).getKvs().get(0);
      Endpoint updated = Json.read(stored.getValue().getBytes(), Endpoint.class).withHealth(health);
      PutOption keepLease = PutOption.builder().withLeaseId(stored.getLease()).build();
      return cas.commit(kv.txn().If(atRevision(key, current)).Then(Op.put(key, bytes(Json.write(updated)), keepLease)))
          .thenApply(w -> w.map(written -> new Versioned<>(updated, written.revision())));
    }));
  }

  public CompletableFuture<Written> deleteEndpoint(String ns, String svc, String id, Precondition pre) {
    ByteSequence key = keys.endpoint(ns, svc, id);
    return cas.retrying(() -> cas.read(Op.get(key, GetOption.DEFAULT)).thenCompose(r -> {
      long current = requireExists(r.get(0).getKvs(), "endpoint '" + id + "' of '" + ns + "/" + svc + "'");
      pre.check(current);
      return cas.commit(kv.txn().If(atRevision(key, current))
          .Then(Op.delete(key, DeleteOption.DEFAULT), Op.delete(keys.drain(ns, svc, id), DeleteOption.DEFAULT)));
    }));
  }
}
