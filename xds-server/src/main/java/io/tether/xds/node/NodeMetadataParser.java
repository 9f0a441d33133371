package io.tether.xds.node;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.tether.model.Names;
import io.tether.model.VipRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place node metadata is read and validated:
 * {@code {"namespace": "prod", "mode": "client-and-server", "services": [{"discoveryName": "payments",
 * "ingressPort": 15000, "appPort": 8080}], "vipRange": "100.127.0.0/16"}}. Proxyless gRPC clients are
 * recognised by their user agent ({@code gRPC Java}, {@code gRPC Go}, …) and only need {@code namespace}.
 *
 * <p>{@code mode} is what the node takes part in: {@code client-and-server} (the default for Envoy),
 * {@code client-only} (the default for proxyless clients; its {@code services} are ignored) or
 * {@code server-only} (Envoy only, with {@code services}: its ingress and nothing else). {@code identity}
 * (optional, a DNS label) is the service a node that serves nothing calls as. {@code vipRange}
 * (optional, Envoy only) moves the node's client-alias listeners into that range ({@link VipRange});
 * proxyless clients ignore it. {@code certificates} (proxyless only, the one value {@code "file_watcher"})
 * says the client's bootstrap has the {@code tether} certificate provider, so its clusters may ask for
 * mutual TLS (docs/security.md "Proxyless gRPC"); Envoy nodes get theirs over SDS and it is ignored.
 *
 * <p>Not metadata but the standard {@code node.locality.zone} (both kinds; optional, a DNS name) is the
 * zone the node calls from: zone-aware services' endpoints are prioritised for it (README "Zone-aware
 * routing"). Region and sub-zone are ignored: endpoints carry a zone only.
 */
public final class NodeMetadataParser {
  private NodeMetadataParser() {}

  public static final String CLIENT_AND_SERVER = "client-and-server";
  public static final String CLIENT_ONLY = "client-only";
  public static final String SERVER_ONLY = "server-only";
  /** The node metadata field a proxyless client with the {@code tether} certificate provider sets, and its value. */
  public static final String CERTIFICATES = "certificates";
  public static final String FILE_WATCHER = "file_watcher";

  public static NodeIdentity parse(Node node) throws InvalidNodeException {
    if (node == null || node.getId().isEmpty()) {
      throw new InvalidNodeException("node.id is required and must be unique per task");
    }
    Struct metadata = node.getMetadata();
    String namespace = string(metadata, "namespace");
    if (namespace == null) {
      throw new InvalidNodeException("node.metadata.namespace is required");
    }
    if (!Names.isLabel(namespace)) {
      throw new InvalidNodeException("node.metadata.namespace '" + namespace + "' is not a DNS label");
    }
    ProxyKind kind = node.getUserAgentName().startsWith("gRPC") ? ProxyKind.GRPC : ProxyKind.ENVOY;
    String mode = mode(metadata, kind);
    boolean serverOnly = mode.equals(SERVER_ONLY);
    List<ServedService> served = kind == ProxyKind.ENVOY && !mode.equals(CLIENT_ONLY) ? services(metadata) : List.of();
    if (serverOnly && served.isEmpty()) {
      throw new InvalidNodeException("node.metadata.mode '" + SERVER_ONLY + "' needs node.metadata.services: "
          + "a server-only node serves a service and calls none");
    }
    VipRange vipRange = kind == ProxyKind.ENVOY ? vipRange(metadata) : null;
    String identity = identity(metadata, firstServed(metadata, served));
    boolean certificates = kind == ProxyKind.GRPC && certificates(metadata);
    return new NodeIdentity(node.getId(), node.getCluster(), node.getUserAgentName(), mode,
        new GroupKey(namespace, kind, served, serverOnly, vipRange, identity, certificates, zone(node)));
  }

  /** The node's zone, or null; one that is not a DNS name could never equal an endpoint's, so it is refused. */
  private static String zone(Node node) throws InvalidNodeException {
    String zone = node.getLocality().getZone();
    if (zone.isEmpty()) {
      return null;
    }
    if (!Names.isDnsName(zone)) {
      throw new InvalidNodeException("node.locality.zone '" + zone + "' is not a DNS name");
    }
    return zone;
  }

  /**
   * The discoveryName a node calls as (docs/security.md "Identities"): its first served service, else
   * {@code identity}, else null (the namespace's anonymous client). A bad {@code identity} is refused
   * even when a served service wins over it.
   */
  private static String identity(Struct metadata, String firstServed) throws InvalidNodeException {
    String claimed = string(metadata, "identity");
    if (claimed != null && !Names.isLabel(claimed)) {
      throw new InvalidNodeException("node.metadata.identity '" + claimed + "' is not a DNS label");
    }
    return firstServed != null ? firstServed : claimed;
  }

  /**
   * True when a proxyless client says it has the {@code tether} certificate provider. Another value is
   * refused: a client that names a provider Tether does not know would NACK every TLS cluster.
   */
  private static boolean certificates(Struct metadata) throws InvalidNodeException {
    String provider = string(metadata, CERTIFICATES);
    if (provider != null && !provider.equals(FILE_WATCHER)) {
      throw new InvalidNodeException("node.metadata." + CERTIFICATES + " must be '" + FILE_WATCHER
          + "' (the bootstrap's certificate provider 'tether'), not '" + provider + "'");
    }
    return provider != null;
  }

  /** The first of {@code services} in the node's own order ({@code served} is sorted by name), or null. */
  private static String firstServed(Struct metadata, List<ServedService> served) {
    if (served.isEmpty()) {
      return null;
    }
    return metadata.getFieldsMap().get("services").getListValue().getValues(0).getStructValue()
        .getFieldsMap().get("discoveryName").getStringValue();
  }

  private static String mode(Struct metadata, ProxyKind kind) throws InvalidNodeException {
    String mode = string(metadata, "mode");
    if (mode == null) {
      return kind == ProxyKind.GRPC ? CLIENT_ONLY : CLIENT_AND_SERVER;
    }
    if (!mode.equals(CLIENT_AND_SERVER) && !mode.equals(CLIENT_ONLY) && !mode.equals(SERVER_ONLY)) {
      throw new InvalidNodeException("node.metadata.mode must be '" + CLIENT_AND_SERVER + "', '" + CLIENT_ONLY
          + "' or '" + SERVER_ONLY + "'");
    }
    if (mode.equals(SERVER_ONLY) && kind == ProxyKind.GRPC) {
      throw new InvalidNodeException("node.metadata.mode '" + SERVER_ONLY + "' is for Envoy sidecars: a proxyless "
          + "gRPC client serves nothing through xDS; use '" + CLIENT_ONLY + "'");
    }
    return mode;
  }

  /** The node's range, or null for the registry's; the message of a bad one is {@link VipRange#parse}'s. */
  private static VipRange vipRange(Struct metadata) throws InvalidNodeException {
    String cidr = string(metadata, "vipRange");
    if (cidr == null) {
      return null;
    }
    try {
      return VipRange.parse(cidr);
    } catch (IllegalArgumentException e) {
      throw new InvalidNodeException(e.getMessage());
    }
  }

  private static List<ServedService> services(Struct metadata) throws InvalidNodeException {
    Value value = metadata.getFieldsMap().get("services");
    if (value == null) {
      return List.of();
    }
    if (!value.hasListValue()) {
      throw new InvalidNodeException("node.metadata.services must be a list");
    }
    List<ServedService> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    List<Value> items = value.getListValue().getValuesList();
    for (int i = 0; i < items.size(); i++) {
      String where = "node.metadata.services[" + i + "]";
      if (!items.get(i).hasStructValue()) {
        throw new InvalidNodeException(where + " must be an object");
      }
      Struct s = items.get(i).getStructValue();
      String name = string(s, "discoveryName");
      if (name == null || !Names.isLabel(name)) {
        throw new InvalidNodeException(where + ".discoveryName must be a DNS label");
      }
      int ingress = port(s, "ingressPort", where);
      int app = port(s, "appPort", where);
      if (!names.add(name)) {
        throw new InvalidNodeException(where + ".discoveryName '" + name + "' is listed twice");
      }
      if (!ports.add(ingress)) {
        throw new InvalidNodeException(where + ".ingressPort " + ingress + " is used twice");
      }
      out.add(new ServedService(name, ingress, app));
    }
    out.sort(Comparator.comparing(ServedService::discoveryName));
    return out;
  }

  private static String string(Struct s, String field) throws InvalidNodeException {
    Value v = s.getFieldsMap().get(field);
    if (v == null) {
      return null;
    }
    if (!v.hasStringValue()) {
      throw new InvalidNodeException("node.metadata." + field + " must be a string");
    }
    return v.getStringValue();
  }

  private static int port(Struct s, String field, String where) throws InvalidNodeException {
    Value v = s.getFieldsMap().get(field);
    if (v == null || !v.hasNumberValue() || v.getNumberValue() != Math.rint(v.getNumberValue())
        || v.getNumberValue() < 1 || v.getNumberValue() > 65535) {
      throw new InvalidNodeException(where + "." + field + " must be a port number (1-65535)");
    }
    return (int) v.getNumberValue();
  }
}
