package io.tether.agent.grpc;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.xds.XdsCredentialsProvider;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Lets a stock grpc-java xDS client (a proxyless app) present a Tether agent token on its ADS stream:
 * put this jar on the app's classpath and use, in the bootstrap,
 * {@code "channel_creds": [{"type": "tether-bearer", "config": {"token": "…"}}]}. grpc-java's
 * bootstrap has no other way to send call credentials over plaintext (docs/xds-clients.md).
 */
public final class BearerXdsCredentialsProvider extends XdsCredentialsProvider {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
    Object token = config == null ? null : config.get("token");
    if (!(token instanceof String t)) {
      return null;
    }
    CallCredentials bearer = new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + t);
        applier.apply(headers);
      }
    };
    return CompositeChannelCredentials.create(InsecureChannelCredentials.create(), bearer);
  }

  @Override
  protected String getName() {
    return "tether-bearer";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int priority() {
    return 5;
  }
}
