package io.tether.conformance;

import static io.tether.conformance.AdsProbe.CDS;
import static io.tether.conformance.AdsProbe.EDS;
import static io.tether.conformance.AdsProbe.ENVOY;
import static io.tether.conformance.AdsProbe.LDS;
import static io.tether.conformance.AdsProbe.RDS;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.Map;
import java.util.TreeMap;

/**
 * The xDS messages of protocol-level tests, apart from any stream: the {@link Node} a client describes
 * itself with (its metadata as Tether reads it), and the resources of a response, unpacked and by name.
 * {@link AdsProbe} is the stream that sends the one and receives the other.
 */
final class XdsMessages {
  private XdsMessages() {}

  /** A node as its client would describe itself. */
  static Node node(String id, String userAgent, Struct metadata) {
    return Node.newBuilder().setId(id).setCluster("conformance").setUserAgentName(userAgent)
        .setUserAgentVersion(userAgent.equals(ENVOY) ? "1.31.0" : "1.85.1").setMetadata(metadata).build();
  }

  /** {@code {"namespace": ns, "services": [...]}}; each service as {discoveryName, ingressPort, appPort}. */
  static Struct metadata(String namespace, Struct... services) {
    Struct.Builder s = Struct.newBuilder();
    if (namespace != null) {
      s.putFields("namespace", str(namespace));
    }
    ListValue.Builder list = ListValue.newBuilder();
    for (Struct svc : services) {
      list.addValues(Value.newBuilder().setStructValue(svc));
    }
    s.putFields("services", Value.newBuilder().setListValue(list).build());
    return s.build();
  }

  static Struct served(String discoveryName, double ingressPort, double appPort) {
    return Struct.newBuilder().putFields("discoveryName", str(discoveryName))
        .putFields("ingressPort", Value.newBuilder().setNumberValue(ingressPort).build())
        .putFields("appPort", Value.newBuilder().setNumberValue(appPort).build()).build();
  }

  static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  /** A response's resources by name, unpacked. */
  static Map<String, Message> resources(DiscoveryResponse r) {
    Map<String, Message> out = new TreeMap<>();
    for (Any any : r.getResourcesList()) {
      Message m = unpack(any);
      out.put(nameOf(m), m);
    }
    return out;
  }

  /** A delta response's resources by name, unpacked. */
  static Map<String, Message> resources(DeltaDiscoveryResponse r) {
    Map<String, Message> out = new TreeMap<>();
    for (Resource res : r.getResourcesList()) {
      out.put(res.getName(), unpack(res.getResource()));
    }
    return out;
  }

  static Message unpack(Any any) {
    try {
      return switch (any.getTypeUrl()) {
        case LDS -> any.unpack(Listener.class);
        case RDS -> any.unpack(RouteConfiguration.class);
        case CDS -> any.unpack(Cluster.class);
        case EDS -> any.unpack(ClusterLoadAssignment.class);
        default -> throw new AssertionError("unexpected resource type " + any.getTypeUrl());
      };
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("unparseable " + any.getTypeUrl(), e);
    }
  }

  static String nameOf(Message m) {
    if (m instanceof Listener l) {
      return l.getName();
    } else if (m instanceof RouteConfiguration rc) {
      return rc.getName();
    } else if (m instanceof Cluster c) {
      return c.getName();
    } else if (m instanceof ClusterLoadAssignment cla) {
      return cla.getClusterName();
    }
    throw new AssertionError("unexpected resource " + m.getClass());
  }

  static int endpointCount(ClusterLoadAssignment cla) {
    return cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
  }

  static String shortType(String typeUrl) {
    return switch (typeUrl) {
      case LDS -> "LDS";
      case RDS -> "RDS";
      case CDS -> "CDS";
      case EDS -> "EDS";
      default -> typeUrl;
    };
  }
}
