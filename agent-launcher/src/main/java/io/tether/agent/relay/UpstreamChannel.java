package io.tether.agent.relay;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The ADS relay's one channel to the control plane's xDS server, shared by every relayed call: TLS
 * verified against {@code xdsCaFile} when one is given, else plaintext (as the sidecars' bootstraps).
 * Keepalive pings after 30 s of silence, as the bootstrap's TCP keepalive, so a dead control plane
 * (or NAT entry) is noticed and the relayed streams fail over instead of hanging. No retries: a
 * retried stream would be buffered, and the Envoys reconnect on their own.
 */
final class UpstreamChannel {
  /** Responses of a large mesh can exceed gRPC's default 4 MiB; Envoy reads them, so must the relay. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private UpstreamChannel() {}

  static ManagedChannel open(String host, int port, Path caFile) {
    return Grpc.newChannelBuilderForAddress(host, port, credentials(caFile))
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .maxInboundMessageSize(MAX_RESPONSE_BYTES)
        .maxInboundMetadataSize(64 * 1024)
        .disableRetry()
        .build();
  }

  private static ChannelCredentials credentials(Path caFile) {
    if (caFile == null) {
      return InsecureChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read xdsCaFile " + caFile + ": " + e.getMessage(), e);
    }
  }
}
