package io.tether.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * How fast an authorization rule takes effect at every callee: {@code n} callee sidecars (server-only,
 * STRICT, services {@code web0…}, each with a DENY default) and one caller calling as {@code checkout}.
 * Each round writes the rules {@code checkout → webN} one after the other through the REST API and
 * times, per callee, from its rule's answer until a call through the caller's egress gets 200; then
 * deletes them and times until 403 again. Each callee is polled by a thread of its own, started at its
 * write's answer, so a figure includes up to one poll (a call through two Envoys, then 1 ms).
 */
final class RuleEnforcement {
  /** The identity the caller calls as (node metadata {@code identity}). */
  static final String CALLER = "checkout";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private final BenchMesh api;
  private final Callees mesh;
  private final int callees;
  private final int rounds;
  private final Histogram allowed = new Histogram(3);
  private final Histogram denied = new Histogram(3);
  private final Histogram everyAllowed = new Histogram(3);
  private final Histogram puts = new Histogram(3);
  private final Histogram deletes = new Histogram(3);

  RuleEnforcement(BenchMesh api, Callees mesh, int callees, int rounds) {
    this.api = api;
    this.mesh = mesh;
    this.callees = callees;
    this.rounds = rounds;
  }

  void run() throws Exception {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < callees; i++) {
      mesh.callee("web" + i, "STRICT", "DENY");
      urls.add(mesh.url("web" + i, "/"));
      until(urls.get(i), 403, System.nanoTime()).call(); // denied under the DENY default before any rule
    }
    ExecutorService pollers = Executors.newFixedThreadPool(callees);
    try {
      round(urls, pollers, false); // warm-up (dropped): JIT, the caller's connections to every callee
      for (int r = 0; r < rounds; r++) {
        round(urls, pollers, true);
      }
    } finally {
      pollers.shutdownNow();
    }
    print();
  }

  /** Every rule written, each callee polled until 200; then every rule deleted, each polled until 403. */
  private void round(List<String> urls, ExecutorService pollers, boolean record) throws Exception {
    List<Future<Reached>> allowing = new ArrayList<>();
    long lastAnswer = 0;
    for (int i = 0; i < urls.size(); i++) {
      long start = System.nanoTime();
      api.put(mesh.rulePath(rule(i)), "{\"from\":\"" + CALLER + "\",\"to\":\"web" + i + "\",\"action\":\"ALLOW\"}");
      lastAnswer = System.nanoTime();
      record(record, puts, lastAnswer - start);
      allowing.add(pollers.submit(until(urls.get(i), 200, lastAnswer)));
    }
    long everyone = lastAnswer;
    for (Future<Reached> f : allowing) {
      Reached r = f.get();
      record(record, allowed, r.at - r.since);
      everyone = Math.max(everyone, r.at);
    }
    record(record, everyAllowed, everyone - lastAnswer);
    List<Future<Reached>> denying = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      long start = System.nanoTime();
      api.delete(mesh.rulePath(rule(i)));
      long answer = System.nanoTime();
      record(record, deletes, answer - start);
      denying.add(pollers.submit(until(urls.get(i), 403, answer)));
    }
    for (Future<Reached> f : denying) {
      Reached r = f.get();
      record(record, denied, r.at - r.since);
    }
  }

  /** A callee's answer changed at {@code at}, after the write answered at {@code since} (nanoTime both). */
  private record Reached(long since, long at) {}

  private static String rule(int i) {
    return CALLER + "-to-web" + i;
  }

  /** A poll of {@code url} until it answers {@code status}. */
  private Callable<Reached> until(String url, int status, long since) {
    return () -> {
      long deadline = since + TimeUnit.SECONDS.toNanos(30);
      while (status(url) != status) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(url + " did not answer " + status + " within 30 s");
        }
        Thread.sleep(1); // pacing: one call per millisecond per callee, not a spin that starves the Envoys
      }
      return new Reached(since, System.nanoTime());
    };
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // a connection closed by a drain: the next poll opens a new one
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void record(boolean record, Histogram h, long nanos) {
    if (record) {
      h.recordValue(nanos / 1000);
    }
  }

  private void print() {
    System.out.printf(Locale.ROOT, "%-44s %9s %9s %7s%n", "rule change -> enforcement, " + callees + " callees",
        "p50 ms", "p99 ms", "count");
    row("rule written -> its callee allows", allowed);
    row("last of " + callees + " written -> every callee allows", everyAllowed);
    row("rule deleted -> its callee denies", denied);
    row("baseline: the rule's PUT itself", puts);
    row("baseline: the rule's DELETE itself", deletes);
  }

  private static void row(String what, Histogram h) {
    System.out.printf(Locale.ROOT, "%-44s %9.2f %9.2f %7d%n", what, h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getTotalCount());
  }
}
