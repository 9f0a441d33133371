package io.tether.bench;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.ServedPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The sidecars of one namespace of the benchmark mesh, as the agent runs them: callees that are
 * server-only (an ingress in front of the JVM's backend, registered with {@code tether.io/tls: mesh} so
 * that callers speak mutual TLS to them unless their mode is DISABLED) and one client-only caller.
 * Closing it stops every Envoy it started.
 */
final class Callees implements AutoCloseable {
  private final BenchMesh mesh;
  private final Path envoy;
  private final Path dir;
  private final String ns;
  private final int appPort;
  private final List<Sidecar> started = new ArrayList<>();
  private Sidecar caller;

  Callees(BenchMesh mesh, Path envoy, Path dir, String ns, int appPort) {
    this.mesh = mesh;
    this.envoy = envoy;
    this.dir = dir;
    this.ns = ns;
    this.appPort = appPort;
  }

  /** Creates the namespace and the caller's own service, then starts the caller calling as {@code identity}. */
  Sidecar caller(String identity) throws Exception {
    mesh.put("/v1/namespaces/" + ns, "{}");
    mesh.put(servicePath(identity), spec(identity, "PERMISSIVE", "ALLOW"));
    caller = track(Sidecar.agentLike(envoy, dir, new BootstrapSpec("caller-" + identity, identity, ns, List.of(),
        "127.0.0.1", mesh.xdsPort(), BenchMesh.TOKEN, Ports.free(), null), Sidecar.callingAs(identity)));
    await(caller::ready, "caller ready");
    return caller;
  }

  /**
   * Service {@code svc} with this {@code tls.mode} and authorization default, served by a server-only
   * sidecar of its own; returns it once its endpoint is in the caller's cluster. Its URL is {@link #url}.
   */
  Sidecar callee(String svc, String tlsMode, String defaultAction) throws Exception {
    return callee(svc, tlsMode, defaultAction, UnaryOperator.identity());
  }

  /** As {@link #callee(String, String, String)}, its bootstrap changed by {@code edit}. */
  Sidecar callee(String svc, String tlsMode, String defaultAction, UnaryOperator<Bootstrap> edit) throws Exception {
    mesh.put(servicePath(svc), spec(svc, tlsMode, defaultAction));
    int ingress = Ports.free();
    Sidecar callee = track(Sidecar.agentLike(envoy, dir, new BootstrapSpec("callee-" + svc, svc, ns,
        List.of(new ServedPort(svc, ingress, appPort)), "127.0.0.1", mesh.xdsPort(), BenchMesh.TOKEN, Ports.free(),
        null, true, null), edit));
    await(callee::ready, svc + " ready");
    mesh.put(servicePath(svc) + "/endpoints/" + svc + "-1", "{\"address\":\"127.0.0.1\",\"port\":" + ingress
        + ",\"health\":\"HEALTHY\",\"metadata\":{\"tether.io/tls\":\"mesh\"}}");
    await(() -> caller.hasEndpoint(cluster(svc), "127.0.0.1:" + ingress), svc + " in the caller's cluster");
    return callee;
  }

  /** The caller's egress URL of {@code svc} (its alias VIP, port 8080) and {@code path}. */
  String url(String svc, String path) throws Exception {
    return "http://" + mesh.vip(ns, svc) + ":8080" + path;
  }

  /** Where the sidecars' files are. */
  Path dir() {
    return dir;
  }

  /** The caller's Envoy cluster of {@code svc}. */
  String cluster(String svc) {
    return svc + "." + ns;
  }

  String rulePath(String name) {
    return "/v1/namespaces/" + ns + "/authorizations/" + name;
  }

  private String servicePath(String svc) {
    return "/v1/namespaces/" + ns + "/services/" + svc;
  }

  private static String spec(String svc, String tlsMode, String defaultAction) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + svc
        + "\",\"port\":8080}],\"tls\":{\"mode\":\"" + tlsMode + "\"},\"authorization\":{\"defaultAction\":\""
        + defaultAction + "\"}}";
  }

  private Sidecar track(Sidecar s) {
    started.add(s);
    return s;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for: " + what);
      }
      Thread.sleep(5); // pacing of the polls, not synchronization: the deadline decides
    }
  }

  @Override
  public void close() {
    started.forEach(Sidecar::close);
  }
}
