package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;

/**
 * Where everything lives in etcd, under one prefix (default {@code /tether/v1/}).
 *
 * <pre>
 * namespaces/{ns}                       Namespace JSON
 * services/{ns}/{discoveryName}         ServiceSpec JSON
 * endpoints/{ns}/{discoveryName}/{id}   Endpoint JSON, attached to the registering agent's lease
 * drains/{ns}/{discoveryName}/{id}      {"drainedAt"}: an operator drained the endpoint; a key of its own, so
 *                                       that the agent's writes of the endpoint cannot undo it
 * vips/{ns}/{dnsName}:{port}            the alias's virtual IP, 127.255.x.y
 * vipaddrs/{ns}/{ip}                    discoveryName owning the address: makes allocation unique
 * guards/{ns}                           touched by every service create, so a namespace delete that
 *                                       raced one fails its compare instead of orphaning the service;
 *                                       and by a put adding a destination or an import (RouteTargets,
 *                                       ImportChecks), which the writes they could race compare
 * leases/{id}/{ns}                      {leaseId, namespace, ttlSeconds}, attached to the lease itself;
 *                                       the namespace in the key lets one compare check both existence
 *                                       and ownership when an endpoint is registered under the lease
 * authorizations/{ns}/{name}           Authorization JSON: a rule of who may call whom (docs/security.md)
 * replicas/{replicaId}                  {id, apiUrl, version, startedAt} of a running server replica,
 *                                       attached to a lease of its own: it goes when the replica does
 * tokens/{id}                           a managed token: {id, name, role, namespace, sha256, createdAt,
 *                                       expiresAt}, never the secret (the view does not track it)
 * ca/root                               the generated mesh CA: its certificate, its key encrypted
 *                                       (docs/security.md "The CA"); the view does not track it
 * </pre>
 */
public final class KeyLayout {
  public static final String DEFAULT_PREFIX = "/tether/v1/";

  private final String prefix;

  public KeyLayout(String prefix) {
    this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
  }

  public String prefix() {
    return prefix;
  }

  public ByteSequence root() {
    return bytes(prefix);
  }

  public ByteSequence namespace(String ns) {
    return bytes(prefix + "namespaces/" + ns);
  }

  public ByteSequence service(String ns, String svc) {
    return bytes(prefix + "services/" + ns + "/" + svc);
  }

  public ByteSequence servicesOf(String ns) {
    return bytes(prefix + "services/" + ns + "/");
  }

  public ByteSequence endpoint(String ns, String svc, String id) {
    return bytes(prefix + "endpoints/" + ns + "/" + svc + "/" + id);
  }

  public ByteSequence endpointsOf(String ns, String svc) {
    return bytes(prefix + "endpoints/" + ns + "/" + svc + "/");
  }

  public ByteSequence drain(String ns, String svc, String id) {
    return bytes(prefix + "drains/" + ns + "/" + svc + "/" + id);
  }

  public ByteSequence drainsOf(String ns, String svc) {
    return bytes(prefix + "drains/" + ns + "/" + svc + "/");
  }

  public ByteSequence vip(String ns, String hostPort) {
    return bytes(prefix + "vips/" + ns + "/" + hostPort);
  }

  public ByteSequence vipsOf(String ns) {
    return bytes(prefix + "vips/" + ns + "/");
  }

  public ByteSequence vipAddress(String ns, String ip) {
    return bytes(prefix + "vipaddrs/" + ns + "/" + ip);
  }

  public ByteSequence vipAddressesOf(String ns) {
    return bytes(prefix + "vipaddrs/" + ns + "/");
  }

  public ByteSequence authorization(String ns, String name) {
    return bytes(prefix + "authorizations/" + ns + "/" + name);
  }

  public ByteSequence authorizationsOf(String ns) {
    return bytes(prefix + "authorizations/" + ns + "/");
  }

  public ByteSequence guard(String ns) {
    return bytes(prefix + "guards/" + ns);
  }

  public ByteSequence lease(long id, String ns) {
    return bytes(prefix + "leases/" + Long.toHexString(id) + "/" + ns);
  }

  /** The prefix of every lease's record. */
  public ByteSequence leaseRecords() {
    return bytes(prefix + "leases/");
  }

  /** The prefix holding a lease's record, whatever its namespace. */
  public ByteSequence leaseRecords(long id) {
    return bytes(prefix + "leases/" + Long.toHexString(id) + "/");
  }

  /** A running replica's record (docs/operations.md, "Replicas"); the view does not track it. */
  public ByteSequence replica(String replicaId) {
    return bytes(prefix + "replicas/" + replicaId);
  }

  public ByteSequence replicas() {
    return bytes(prefix + "replicas/");
  }

  /** A managed token's record (docs/security.md, "Tokens"); the view does not track it. */
  public ByteSequence token(String id) {
    return bytes(prefix + "tokens/" + id);
  }

  public ByteSequence tokens() {
    return bytes(prefix + "tokens/");
  }

  /** The generated mesh CA's record; written once, by whichever replica starts first. */
  public ByteSequence caRoot() {
    return bytes(prefix + "ca/root");
  }

  /** Which registry object a key names; keys the view does not track parse to {@link RegistryKey.Other}. */
  public RegistryKey parse(ByteSequence key) {
    String k = key.toString(UTF_8);
    if (!k.startsWith(prefix)) {
      return RegistryKey.Other.INSTANCE;
    }
    String[] parts = k.substring(prefix.length()).split("/", -1);
    return switch (parts[0]) {
      case "namespaces" -> parts.length == 2 ? new RegistryKey.NamespaceKey(parts[1]) : RegistryKey.Other.INSTANCE;
      case "services" -> parts.length == 3 ? new RegistryKey.ServiceKey(parts[1], parts[2]) : RegistryKey.Other.INSTANCE;
      case "endpoints" -> parts.length == 4
          ? new RegistryKey.EndpointKey(parts[1], parts[2], parts[3]) : RegistryKey.Other.INSTANCE;
      case "drains" -> parts.length == 4
          ? new RegistryKey.DrainKey(parts[1], parts[2], parts[3]) : RegistryKey.Other.INSTANCE;
      case "authorizations" -> parts.length == 3
          ? new RegistryKey.AuthorizationKey(parts[1], parts[2]) : RegistryKey.Other.INSTANCE;
      case "vips" -> parts.length == 3 ? new RegistryKey.VipKey(parts[1], parts[2]) : RegistryKey.Other.INSTANCE;
      default -> RegistryKey.Other.INSTANCE;
    };
  }

  public static ByteSequence bytes(String s) {
    return ByteSequence.from(s, UTF_8);
  }
}
