package io.tether.agent.bootstrap;

import io.tether.agent.certs.CertificateFiles;
import io.tether.model.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grpc-java xDS bootstrap handed to a proxyless app ({@code GRPC_XDS_BOOTSTRAP}): the xDS server,
 * the agent token through the {@code tether-bearer} channel credentials (the app needs
 * {@link io.tether.agent.grpc.BearerXdsCredentialsProvider} on its classpath), and the node. With
 * certificate files ({@code --certs-dir}), also the {@code file_watcher} certificate provider
 * {@value #PROVIDER_INSTANCE} and node metadata {@code certificates: "file_watcher"}, which tells the
 * server that this client can take clusters with mutual TLS (docs/security.md "Proxyless gRPC").
 */
public final class GrpcBootstrap {
  private GrpcBootstrap() {}

  /** The certificate provider instance the server's TLS clusters name (xds-server render/ProxylessTls). */
  public static final String PROVIDER_INSTANCE = "tether";
  /**
   * How often grpc-java looks at the files' modification times: a few stat calls, so often enough for
   * the shortest leaf life the server allows (10 s, renewed at half of it).
   */
  static final String REFRESH_INTERVAL = "1s";

  public static Map<String, Object> render(BootstrapSpec spec) {
    return render(spec, null);
  }

  /** As {@link #render(BootstrapSpec)}, with the certificate provider of {@code certs} when not null. */
  public static Map<String, Object> render(BootstrapSpec spec, CertificateFiles certs) {
    Map<String, Object> creds = new LinkedHashMap<>();
    creds.put("type", "tether-bearer");
    creds.put("config", Map.of("token", spec.token()));
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("server_uri", spec.xdsHost() + ":" + spec.xdsPort());
    server.put("channel_creds", List.of(creds));
    server.put("server_features", List.of("xds_v3"));
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("id", spec.nodeId());
    node.put("cluster", spec.cluster());
    Map<String, Object> metadata = new LinkedHashMap<>(); // ordered: equal specs print equal bootstraps
    metadata.put("namespace", spec.namespace());
    metadata.put("mode", "client-only");
    if (certs != null) {
      metadata.put("certificates", "file_watcher");
    }
    node.put("metadata", metadata);
    if (spec.zone() != null) {
      node.put("locality", Map.of("zone", spec.zone()));
    }
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("xds_servers", List.of(server));
    bootstrap.put("node", node);
    if (certs != null) {
      bootstrap.put("certificate_providers", Map.of(PROVIDER_INSTANCE, fileWatcher(certs)));
    }
    return bootstrap;
  }

  private static Map<String, Object> fileWatcher(CertificateFiles certs) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("certificate_file", certs.cert().toAbsolutePath().toString());
    config.put("private_key_file", certs.key().toAbsolutePath().toString());
    config.put("ca_certificate_file", certs.ca().toAbsolutePath().toString());
    config.put("refresh_interval", REFRESH_INTERVAL);
    Map<String, Object> provider = new LinkedHashMap<>();
    provider.put("plugin_name", "file_watcher");
    provider.put("config", config);
    return provider;
  }

  public static String json(BootstrapSpec spec) {
    return json(spec, null);
  }

  public static String json(BootstrapSpec spec, CertificateFiles certs) {
    return Json.writeString(render(spec, certs));
  }
}
