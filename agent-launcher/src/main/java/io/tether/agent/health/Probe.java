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

  static Probe of(AppHealthCheck check) {
    return switch (check.protocol()) {
      case HTTP -> new HttpProbe(check);
      case TCP -> new TcpProbe(check);
      case GRPC -> new GrpcProbe(check);
      case NONE -> () -> { };
    };
  }
}
