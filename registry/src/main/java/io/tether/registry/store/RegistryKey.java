package io.tether.registry.store;

/** A parsed etcd key: which namespace, service, endpoint or alias it belongs to. */
public sealed interface RegistryKey {
  record NamespaceKey(String namespace) implements RegistryKey {}

  record ServiceKey(String namespace, String service) implements RegistryKey {}

  record EndpointKey(String namespace, String service, String endpointId) implements RegistryKey {}

  /** An operator's drain of one endpoint (docs/operations.md, "Draining an endpoint"). */
  record DrainKey(String namespace, String service, String endpointId) implements RegistryKey {}

  /** An authorization rule (docs/security.md "Authorization"). */
  record AuthorizationKey(String namespace, String name) implements RegistryKey {}

  record VipKey(String namespace, String hostPort) implements RegistryKey {}

  /** Bookkeeping keys (guards, leases, VIP address locks) and anything foreign under the prefix. */
  enum Other implements RegistryKey { INSTANCE }
}
