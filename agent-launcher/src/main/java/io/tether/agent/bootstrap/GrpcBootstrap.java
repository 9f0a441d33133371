package io.tether.agent.bootstrap;

import io.tether.model.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grpc-java xDS bootstrap handed to a proxyless app ({@code GRPC_XDS_BOOTSTRAP}): the xDS server,
 * the agent token through the {@code tether-bearer} channel credentials (the app needs
 * {@link io.tether.agent.grpc.BearerXdsCredentialsProvider} on its classpath), and the node.
 */
public final class GrpcBootstrap {
  private GrpcBootstrap() {}

  public static Map<String, Object> render(BootstrapSpec spec) {
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
    node.put("metadata", metadata);
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("xds_servers", List.of(server));
    bootstrap.put("node", node);
    return bootstrap;
  }

  public static String json(BootstrapSpec spec) {
    return Json.writeString(render(spec));
  }
}
