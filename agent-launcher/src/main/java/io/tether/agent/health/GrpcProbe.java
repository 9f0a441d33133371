package io.tether.agent.health;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Passes when grpc.health.v1.Health/Check for the configured service answers SERVING within the timeout. */
final class GrpcProbe implements Probe {
  private final ManagedChannel channel;
  private final HealthGrpc.HealthBlockingStub health;
  private final HealthCheckRequest request;
  private final long timeoutMillis;

  GrpcProbe(AppHealthCheck check, String host) {
    this.channel = Grpc.newChannelBuilderForAddress(host, check.port(),
        InsecureChannelCredentials.create()).userAgent("tether-agent-health-check").build();
    this.health = HealthGrpc.newBlockingStub(channel);
    this.request = HealthCheckRequest.newBuilder().setService(check.grpcService()).build();
    this.timeoutMillis = check.timeout().toMillis();
  }

  @Override
  public void check() throws IOException {
    // The channel is kept between checks; after the app was down it sits in reconnect back-off
    // (up to two minutes), failing every check at once even after the app is back: reconnect now.
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    HealthCheckResponse response;
    try {
      // Fail-fast (no wait-for-ready): a refused connection fails the check at once, as it does for
      // tcp and http, instead of using up the whole timeout; a channel still connecting is waited for.
      response = health.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS).check(request);
    } catch (io.grpc.StatusRuntimeException e) {
      throw new IOException("Health/Check failed: " + e.getStatus(), e);
    }
    if (response.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
      throw new IOException("Health/Check answered " + response.getStatus());
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
