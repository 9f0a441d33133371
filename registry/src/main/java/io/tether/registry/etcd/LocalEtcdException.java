package io.tether.registry.etcd;

/** Why a local etcd cannot start or keep running, in one line an operator can act on. */
public final class LocalEtcdException extends IllegalStateException {
  public LocalEtcdException(String message) {
    super(message);
  }
}
