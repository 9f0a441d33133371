package io.tether.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The three kinds of client {@link FleetValidation} times against one server, each N of them started
 * and closed as one: the fleet ({@link io.tether.bench.fleet.AdsFleet}, a child JVM, as the writes
 * scenario starts it), stock grpc-java xDS clients ({@link GrpcClients}, a child JVM) and real Envoys
 * ({@link Sidecar}, the agent's bootstrap, each bound to this JVM's life).
 */
final class ValidationClients {
  static final List<String> KINDS = List.of("fleet", "grpc-java", "Envoy");
  /** The service every write changes ({@link ScaleServer}): the grpc-java channels' target. */
  private static final String TARGET = "svc0:8080";
  private static final long READY_MS = 120_000;

  private final ScaleArms arms;
  private final Path envoy;
  private final Path dir;
  private final Sidecar.Ads ads;

  ValidationClients(ScaleArms arms, Path envoy, Path dir, Sidecar.Ads ads) {
    this.arms = arms;
    this.envoy = envoy;
    this.dir = dir;
    this.ads = ads;
  }

  /** N clients of {@code kind}, each with its full first config (the server tells when they ACKed EDS). */
  AutoCloseable start(String kind, int port, int n, int round) throws Exception {
    return switch (kind) {
      case "fleet" -> ready(arms.fleet("tether", port, n));
      case "grpc-java" -> ready(Child.start(List.of("-Xss256k"), GrpcClients.class, List.of("--port",
          Integer.toString(port), "--clients", Integer.toString(n), "--namespace", ScaleServer.NS, "--token",
          ScaleServer.TOKEN, "--target", TARGET)));
      case "Envoy" -> envoys(port, n, round);
      default -> throw new IllegalArgumentException("no client kind " + kind);
    };
  }

  private static Child ready(Child child) throws Exception {
    try {
      child.await("READY ");
      return child;
    } catch (IOException e) {
      child.close();
      throw e;
    }
  }

  private AutoCloseable envoys(int port, int n, int round) throws Exception {
    List<Sidecar> started = new ArrayList<>();
    AutoCloseable all = () -> started.forEach(Sidecar::close);
    try {
      for (int i = 0; i < n; i++) {
        started.add(Sidecar.start(envoy, dir, "envoy-" + n + "-" + round + "-" + i, ScaleServer.NS, port,
            ScaleServer.TOKEN, ads));
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MS);
      while (!started.stream().allMatch(Sidecar::ready)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("not every one of " + n + " Envoys was ready within " + READY_MS + " ms");
        }
        Thread.sleep(20); // the poll's interval: /ready is asked again, not waited on
      }
      return all;
    } catch (Exception e) {
      all.close();
      throw e;
    }
  }
}
