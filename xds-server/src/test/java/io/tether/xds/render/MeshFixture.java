package io.tether.xds.render;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.tether.model.AppProtocol;
import io.tether.model.CircuitBreakers;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.HashOn;
import io.tether.model.Health;
import io.tether.model.LoadBalancing;
import io.tether.model.Namespace;
import io.tether.model.OutlierDetection;
import io.tether.model.RetryPolicy;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Timeout;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One namespace that exercises everything the renderer can emit: every appProtocol, every load
 * balancing policy, a hash key of each kind an Envoy sidecar and grpc-java render (header, source
 * address, the tcp_proxy's), non-default timeouts/retries/outlier detection/circuit breakers, an alias without
 * a VIP, a dnsName with two ports, endpoints in two zones and none, in all three health states, an
 * empty service, and ingress for an http, a grpc and a tcp service.
 */
final class MeshFixture {
  private MeshFixture() {}

  static final String NS = "prod";

  /** Namespace defaults the services inherit where they set nothing. */
  static final Namespace NAMESPACE = new Namespace(NS, "fixture", new ServicePolicy(
      null, new RetryPolicy(3, null, null), null, null, null, null));

  static ServiceSpec spec(String name, AppProtocol protocol, List<ClientAlias> aliases, Timeout timeout,
      RetryPolicy retry, OutlierDetection outlier, CircuitBreakers breakers, LoadBalancing lb) {
    return spec(name, protocol, aliases, timeout, retry, outlier, breakers, lb, null);
  }

  static ServiceSpec spec(String name, AppProtocol protocol, List<ClientAlias> aliases, Timeout timeout,
      RetryPolicy retry, OutlierDetection outlier, CircuitBreakers breakers, LoadBalancing lb, HashOn hashOn) {
    return new ServiceSpec(name, "port", protocol, aliases, null,
        new ServicePolicy(timeout, retry, outlier, breakers, lb, hashOn, null));
  }

  static ServiceInput input(ServiceSpec spec, Map<String, String> vips) {
    return new ServiceInput(NS, spec, spec.effectivePolicy(NAMESPACE), vips);
  }

  static final ServiceInput PAYMENTS = input(spec("payments", AppProtocol.HTTP,
          List.of(new ClientAlias("payments", 8080), new ClientAlias("pay", 80)),
          new Timeout(120, 10),
          new RetryPolicy(null, List.of("connect-failure", "reset", "503", "504"), 2500),
          new OutlierDetection(7, 5_000, 15_000, 25),
          new CircuitBreakers(512, 256, 2048, 5),
          LoadBalancing.ROUND_ROBIN),
      Map.of("payments:8080", "127.255.0.1", "pay:80", "127.255.0.2"));

  /** Two ports on one dnsName (no bare-name api_listener), one without a VIP; timeouts disabled. */
  static final ServiceInput LEDGER = input(spec("ledger", AppProtocol.HTTP2,
          List.of(new ClientAlias("ledger", 9090), new ClientAlias("ledger", 9091)),
          new Timeout(0, 0), null, null, null, LoadBalancing.LEAST_REQUEST),
      Map.of("ledger:9090", "127.255.0.3"));

  static final ServiceInput QUOTES = input(spec("quotes", AppProtocol.GRPC,
          List.of(new ClientAlias("quotes", 50051)),
          new Timeout(600, 3),
          new RetryPolicy(2, List.of("unavailable", "resource-exhausted", "5xx", "503", "connect-failure"), 0),
          new OutlierDetection(3, 2_000, 10_000, 50),
          null, LoadBalancing.RING_HASH, new HashOn("x-user-id", null, null)),
      Map.of("quotes:50051", "127.255.0.4"));

  /** No retries and no per-request timeout: nothing of either may be rendered. */
  static final ServiceInput SEARCH = input(spec("search", AppProtocol.GRPC,
          List.of(new ClientAlias("search.internal", 50052)),
          new Timeout(null, 0), new RetryPolicy(0, null, null), null, null, LoadBalancing.MAGLEV,
          new HashOn(null, null, true)),
      Map.of("search.internal:50052", "127.255.0.5"));

  static final ServiceInput CACHE = input(spec("cache", AppProtocol.TCP,
          List.of(new ClientAlias("cache", 6379)), null, null, null, null, LoadBalancing.RANDOM),
      Map.of("cache:6379", "127.255.0.6"));

  /** tcp_proxy's hash key: the caller's address, the only one a tcp service may have. */
  static final ServiceInput SESSIONS = input(spec("sessions", AppProtocol.TCP,
          List.of(new ClientAlias("sessions", 7000)), null, null, null, null, LoadBalancing.RING_HASH,
          new HashOn(null, null, true)),
      Map.of("sessions:7000", "127.255.0.7"));

  static final List<ServiceInput> SERVICES = List.of(PAYMENTS, LEDGER, QUOTES, SEARCH, CACHE, SESSIONS);

  static final List<ServedService> SERVED = List.of(
      new ServedService("payments", 15000, 8080),
      new ServedService("quotes", 15001, 50051),
      new ServedService("cache", 15002, 6379));

  static Endpoint endpoint(String address, int port, String zone, Health health) {
    return new Endpoint(address, port, zone, health, "task", "host", Map.of(), 7L);
  }

  /** Endpoints by service, each map deliberately a HashMap: the renderer must impose its own order. */
  static Map<String, Map<String, Endpoint>> endpoints() {
    Map<String, Map<String, Endpoint>> all = new LinkedHashMap<>();
    Map<String, Endpoint> payments = new HashMap<>();
    payments.put("task-b2", endpoint("10.0.2.11", 15000, "zone-b", null));
    payments.put("task-a2", endpoint("10.0.1.11", 15000, "zone-a", Health.DRAINING));
    payments.put("task-x", endpoint("10.0.3.10", 15000, null, Health.HEALTHY));
    payments.put("task-b1", endpoint("10.0.2.10", 15000, "zone-b", Health.UNHEALTHY));
    payments.put("task-a1", endpoint("10.0.1.10", 15000, "zone-a", Health.HEALTHY));
    all.put("payments", payments);
    all.put("ledger", new HashMap<>(Map.of(
        "ledger-1", endpoint("10.0.2.20", 15000, "zone-b", Health.HEALTHY),
        "ledger-2", endpoint("10.0.2.21", 15000, "zone-b", Health.HEALTHY))));
    all.put("quotes", new HashMap<>(Map.of("quotes-1", endpoint("fd00::7", 15001, "zone-a", Health.HEALTHY))));
    all.put("search", new HashMap<>());
    all.put("cache", new HashMap<>(Map.of("cache-1", endpoint("10.0.1.30", 15002, "zone-a", Health.HEALTHY))));
    all.put("sessions", new HashMap<>(Map.of("sessions-1", endpoint("10.0.1.40", 15003, "zone-a", Health.HEALTHY))));
    return all;
  }

  /**
   * Everything a node of {@code kind} serving {@link #SERVED} (Envoy only) receives, by a key that is
   * unique across types: {@code cds.}, {@code eds.}, {@code lds.} or {@code rds.} plus the resource name.
   */
  static Map<String, Message> render(ProxyKind kind) {
    Map<String, Message> out = new LinkedHashMap<>();
    for (ServiceInput in : SERVICES) {
      ServiceResources r = MeshRenderer.service(in, kind);
      put(out, "cds." + r.cluster().getName(), r.cluster());
      for (Listener l : r.listeners()) {
        put(out, "lds." + l.getName(), l);
      }
      for (RouteConfiguration rc : r.routes()) {
        put(out, "rds." + rc.getName(), rc);
      }
    }
    endpoints().forEach((service, byId) -> {
      var cla = MeshRenderer.endpoints(NS, service, byId);
      put(out, "eds." + cla.getClusterName(), cla);
    });
    if (kind == ProxyKind.ENVOY) {
      for (ServedService served : SERVED) {
        ServiceInput in = SERVICES.stream()
            .filter(s -> s.spec().discoveryName().equals(served.discoveryName())).findFirst().orElseThrow();
        IngressResources ingress = MeshRenderer.ingress(in, served);
        put(out, "lds." + ingress.listener().getName(), ingress.listener());
        put(out, "cds." + ingress.localCluster().getName(), ingress.localCluster());
      }
    }
    return out;
  }

  private static void put(Map<String, Message> out, String key, Message resource) {
    if (out.put(key, resource) != null) {
      throw new IllegalStateException("two resources rendered as " + key);
    }
  }
}
