package io.tether.agent.registry;

/**
 * The lease no longer exists: it expired (keepalives missed, a long pause) or was revoked (by an
 * operator, or lost with etcd's state), and with it every endpoint registered under it. The holder
 * grants a new lease and registers again.
 */
public final class LeaseGoneException extends RegistryCallException {
  private final long leaseId;

  public LeaseGoneException(long leaseId, String code, String message) {
    super(404, code, "leaseId", message, null);
    this.leaseId = leaseId;
  }

  public long leaseId() {
    return leaseId;
  }
}
