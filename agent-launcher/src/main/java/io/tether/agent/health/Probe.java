package io.tether.agent.health;

/**
 * One attempt at a health check. Implementations are used by one thread at a time (the monitor's)
 * and hold what is worth keeping between attempts (an HTTP client, a gRPC channel).
 */
interface Probe extends AutoCloseable {
  /** Returns normally when the app passed; throws, saying why, when it did not (within the check's timeout). */
  void check() throws Exception;

  @Override
  default void close() {}

  /** A probe of the app at {@code host} (an IP or name; 127.0.0.1 when the app is beside the agent). */
  static Probe of(AppHealthCheck check, String host) {
    return switch (check.protocol()) {
      case HTTP -> new HttpProbe(check, host);
      case TCP -> new TcpProbe(check, host);
      case GRPC -> new GrpcProbe(check, host);
      case NONE -> () -> { };
    };
  }
}
