package io.tether.agent.bootstrap;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.LayeredRuntime;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import com.google.common.net.InetAddresses;
import io.tether.model.RegexProgramSize;
import java.util.List;

/**
 * The Envoy bootstrap of a Tether sidecar: the node (id, cluster, Tether metadata), delta ADS to the
 * control plane with the agent token and TCP keepalive, LDS and CDS from ADS, and the admin interface
 * on 127.0.0.1 (readiness, draining and stats); for each served app that Envoy cannot reach on its own
 * loopback, an {@link AppForwarder}. Pure: equal specs give equal bootstraps.
 */
public final class EnvoyBootstrap {
  private EnvoyBootstrap() {}

  /** The static cluster that reaches the control plane. */
  public static final String XDS_CLUSTER = "tether-xds";

  /**
   * Envoy NACKs a route configuration holding a regex whose RE2 program is larger than this (its default
   * is 100, which {@code /users/[a-z0-9-]{1,25}} exceeds). The registry refuses a regex whose bound on
   * that size is above {@link RegexProgramSize#MAX} (README "Routes"), so the error level is twice what
   * it lets through: a margin for the bound, never reached by a route Tether stored.
   */
  public static final int RE2_PROGRAM_SIZE_ERROR_LEVEL = 2 * RegexProgramSize.MAX;
  /** Envoy logs and counts ({@code re2.exceeded_warn_level}) a larger program: none the registry lets through. */
  public static final int RE2_PROGRAM_SIZE_WARN_LEVEL = RegexProgramSize.MAX;

  public static Bootstrap render(BootstrapSpec spec) {
    ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3).build();
    return Bootstrap.newBuilder()
        .setNode(node(spec))
        .setDynamicResources(Bootstrap.DynamicResources.newBuilder()
            .setAdsConfig(ApiConfigSource.newBuilder()
                .setApiType(ApiConfigSource.ApiType.DELTA_GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .setSetNodeOnFirstMessageOnly(true)
                .addGrpcServices(xdsService(spec)))
            .setLdsConfig(ads)
            .setCdsConfig(ads))
        .setStaticResources(staticResources(spec))
        .setAdmin(Admin.newBuilder().setAddress(socket("127.0.0.1", spec.adminPort())))
        .setLayeredRuntime(runtime())
        .build();
  }

  /** A static layer with the RE2 program-size levels, and the admin layer Envoy has when none is given. */
  private static LayeredRuntime runtime() {
    Struct levels = Struct.newBuilder()
        .putFields("re2.max_program_size.error_level", Value.newBuilder().setNumberValue(RE2_PROGRAM_SIZE_ERROR_LEVEL).build())
        .putFields("re2.max_program_size.warn_level", Value.newBuilder().setNumberValue(RE2_PROGRAM_SIZE_WARN_LEVEL).build())
        .build();
    return LayeredRuntime.newBuilder()
        .addLayers(RuntimeLayer.newBuilder().setName("tether").setStaticLayer(levels))
        .addLayers(RuntimeLayer.newBuilder().setName("admin").setAdminLayer(RuntimeLayer.AdminLayer.getDefaultInstance()))
        .build();
  }

  /**
   * ADS over the static xDS cluster, with the agent token as {@code authorization} metadata; without a
   * token no authorization is sent at all (an ECS task's sidecar: the host agent's relay adds it).
   */
  private static GrpcService xdsService(BootstrapSpec spec) {
    GrpcService.Builder service = GrpcService.newBuilder()
        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER));
    if (spec.token() != null) {
      service.addInitialMetadata(HeaderValue.newBuilder().setKey("authorization").setValue("Bearer " + spec.token()));
    }
    return service.build();
  }

  /** The bootstrap as Envoy reads it (JSON is YAML), with proto field names. */
  public static String json(Bootstrap bootstrap) {
    return print(JsonFormat.printer(), bootstrap);
  }

  /** {@link #json} on one line, for carrying the bootstrap in an environment variable. */
  public static String compactJson(Bootstrap bootstrap) {
    return print(JsonFormat.printer().omittingInsignificantWhitespace(), bootstrap);
  }

  private static String print(JsonFormat.Printer printer, Bootstrap bootstrap) {
    try {
      return printer.preservingProtoFieldNames().usingTypeRegistry(typeRegistry()).print(bootstrap);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print the bootstrap", e);
    }
  }

  /** The message types packed into the bootstrap's Any fields. */
  public static final List<Descriptor> PACKED_TYPES = List.of(
      HttpProtocolOptions.getDescriptor(), UpstreamTlsContext.getDescriptor(), TcpProxy.getDescriptor());

  /** {@link #PACKED_TYPES}, for printing and parsing the bootstrap as JSON. */
  public static JsonFormat.TypeRegistry typeRegistry() {
    return JsonFormat.TypeRegistry.newBuilder().add(PACKED_TYPES).build();
  }

  private static Bootstrap.StaticResources staticResources(BootstrapSpec spec) {
    Bootstrap.StaticResources.Builder resources = Bootstrap.StaticResources.newBuilder().addClusters(xdsCluster(spec));
    for (ServedPort served : spec.served()) {
      if (!served.appOnLoopback()) {
        resources.addListeners(AppForwarder.listener(served)).addClusters(AppForwarder.cluster(served));
      }
    }
    return resources.build();
  }

  private static Node node(BootstrapSpec spec) {
    ListValue.Builder services = ListValue.newBuilder();
    for (ServedPort s : spec.served()) {
      services.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("discoveryName", Value.newBuilder().setStringValue(s.discoveryName()).build())
          .putFields("ingressPort", Value.newBuilder().setNumberValue(s.ingressPort()).build())
          .putFields("appPort", Value.newBuilder().setNumberValue(s.appPort()).build())));
    }
    Struct.Builder metadata = Struct.newBuilder()
        .putFields("namespace", Value.newBuilder().setStringValue(spec.namespace()).build())
        .putFields("mode", Value.newBuilder().setStringValue(spec.mode()).build())
        .putFields("services", Value.newBuilder().setListValue(services).build());
    if (spec.vipRange() != null) {
      metadata.putFields("vipRange", Value.newBuilder().setStringValue(spec.vipRange()).build());
    }
    Node.Builder node = Node.newBuilder().setId(spec.nodeId()).setCluster(spec.cluster()).setMetadata(metadata);
    if (spec.zone() != null) {
      node.setLocality(Locality.newBuilder().setZone(spec.zone()));
    }
    return node.build();
  }

  private static Cluster xdsCluster(BootstrapSpec spec) {
    boolean ip = InetAddresses.isInetAddress(spec.xdsHost());
    HttpProtocolOptions http2 = HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(XDS_CLUSTER)
        .setType(ip ? Cluster.DiscoveryType.STATIC : Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(5))
        .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            com.google.protobuf.Any.pack(http2))
        // Keepalive probes notice a dead control plane (or a dead NAT entry) long before TCP would.
        .setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder().setTcpKeepalive(TcpKeepalive.newBuilder()
            .setKeepaliveTime(UInt32Value.of(30)).setKeepaliveInterval(UInt32Value.of(10))
            .setKeepaliveProbes(UInt32Value.of(3))))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(socket(spec.xdsHost(), spec.xdsPort()))))));
    if (spec.xdsCaFile() != null) {
      UpstreamTlsContext tls = UpstreamTlsContext.newBuilder().setSni(spec.xdsHost())
          .setCommonTlsContext(CommonTlsContext.newBuilder().setValidationContext(CertificateValidationContext.newBuilder()
              .setTrustedCa(DataSource.newBuilder().setFilename(spec.xdsCaFile()))))
          .build();
      cluster.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
          .setTypedConfig(com.google.protobuf.Any.pack(tls)));
    }
    return cluster.build();
  }

  static Address socket(String host, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
  }
}
