package io.tether.registry.etcd;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;

/** Builds the jetcd client the registry uses: fail fast when no member is reachable, keepalive on. */
public final class EtcdClients {
  private EtcdClients() {}

  public static Client connect(List<String> endpoints) {
    return Client.builder()
        .endpoints(endpoints.toArray(String[]::new))
        .connectTimeout(Duration.ofSeconds(2))
        .keepaliveTime(Duration.ofSeconds(10))
        .keepaliveTimeout(Duration.ofSeconds(3))
        .retryMaxDuration(Duration.ofSeconds(3))
        .waitForReady(false)
        .build();
  }
}
