package io.tether.bench;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.overload.v3.OverloadAction;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.config.overload.v3.ThresholdTrigger;
import io.envoyproxy.envoy.config.overload.v3.Trigger;
import io.envoyproxy.envoy.extensions.resource_monitors.injected_resource.v3.InjectedResourceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A bootstrap edit that makes a sidecar close every downstream HTTP/1 connection after one response:
 * Envoy's overload action {@code disable_http_keepalive}, held saturated by an injected resource
 * monitor whose file reads 1. Its connection managers then answer {@code Connection: close}, so each
 * request of a caller's Envoy to it is a new connection (for mutual TLS, a new handshake). Nothing in
 * Tether's rendering changes. (A backend answering {@code Connection: close} does not do it: Envoy
 * closes its own upstream connection to the backend and keeps the caller's connection.)
 */
final class KeepAliveOff {
  /** The type this edit packs into the bootstrap, for printing it. */
  static final com.google.protobuf.Descriptors.Descriptor PACKED_TYPE = InjectedResourceConfig.getDescriptor();
  private static final String MONITOR = "envoy.resource_monitors.injected_resource";

  private KeepAliveOff() {}

  /** The edit, with its pressure file in {@code dir}. */
  static UnaryOperator<Bootstrap> in(Path dir, String name) {
    Path pressure = dir.resolve(name + ".pressure");
    try {
      Files.writeString(pressure, "1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    OverloadManager overload = OverloadManager.newBuilder()
        .setRefreshInterval(com.google.protobuf.Duration.newBuilder().setNanos(100_000_000))
        .addResourceMonitors(ResourceMonitor.newBuilder().setName(MONITOR).setTypedConfig(Any.pack(
            InjectedResourceConfig.newBuilder().setFilename(pressure.toString()).build())))
        .addActions(OverloadAction.newBuilder().setName("envoy.overload_actions.disable_http_keepalive")
            .addTriggers(Trigger.newBuilder().setName(MONITOR).setThreshold(ThresholdTrigger.newBuilder().setValue(0.5))))
        .build();
    return bootstrap -> bootstrap.toBuilder().setOverloadManager(overload).build();
  }
}
