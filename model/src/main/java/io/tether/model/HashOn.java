package io.tether.model;

/**
 * What a RING_HASH or MAGLEV service hashes a request on, so that equal keys reach the same endpoint:
 * exactly one of a request header, a cookie, or the caller's source address. Inherited as a whole,
 * never field by field: a service's {@code {"cookie": …}} must not be merged with a namespace's
 * {@code {"header": …}} into a key that is both.
 */
public record HashOn(String header, String cookie, Boolean sourceIp) {

  public boolean onSourceIp() {
    return Boolean.TRUE.equals(sourceIp);
  }

  /** How many keys are named; valid only when exactly one. */
  int keys() {
    return (header != null ? 1 : 0) + (cookie != null ? 1 : 0) + (onSourceIp() ? 1 : 0);
  }

  /**
   * Whether this key means anything for a service: only hashing policies use a key, and a tcp
   * connection has no header or cookie. Validation refuses a spec that breaks either rule; this
   * drops what a service inherits from its namespace's defaults and cannot use.
   */
  boolean appliesTo(LoadBalancing loadBalancing, AppProtocol protocol) {
    return hashes(loadBalancing) && (protocol.isHttp() || onSourceIp());
  }

  static boolean hashes(LoadBalancing loadBalancing) {
    return loadBalancing == LoadBalancing.RING_HASH || loadBalancing == LoadBalancing.MAGLEV;
  }
}
