package io.tether.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.tether.registry.RegistryServer;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.view.RegistryChange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the registry against etcd itself, in one process and one run: (a) endpoint registration
 * through the REST API against raw jetcd puts of the same bytes at the same concurrency, and (b) the
 * delay from an etcd put to the registry view's listener against the put's own latency, and (c) batch
 * registration against raw transactions of the same batches ({@link BatchArm}). Starts its
 * own etcd and registry server and removes both when done.
 */
@Command(name = "registry-benchmark", mixinStandardHelpOptions = true,
    description = "REST endpoint registration vs raw etcd puts; etcd put to view-event latency vs put latency.")
public final class RegistryBenchmark implements Callable<Integer> {
  private static final String TOKEN = "bench-admin-token-0123456789";
  static final String PREFIX = "/tether-bench/";
  static final String RAW_PREFIX = "/tether-bench-raw/";

  @Option(names = "--requests", description = "measured registrations per path (default ${DEFAULT-VALUE})")
  int requests = 5000;

  @Option(names = "--warmup", description = "unmeasured registrations per path first (default ${DEFAULT-VALUE})")
  int warmup = 1000;

  @Option(names = "--concurrency", description = "requests in flight (default ${DEFAULT-VALUE})")
  int concurrency = 16;

  @Option(names = "--batch", description = "endpoints per batch in (c) (default ${DEFAULT-VALUE})")
  int batch = 10;

  @Option(names = "--pairs", description = "interleaved REST/raw rounds in (c) (default ${DEFAULT-VALUE})")
  int pairs = 3;

  @Option(names = "--event-puts", description = "sequential puts timed to the view listener (default ${DEFAULT-VALUE})")
  int eventPuts = 2000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RegistryBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("tether-bench");
    LocalEtcd etcd = LocalEtcd.single(dir, Ports.free(), Ports.free()).start().awaitHealthy(Duration.ofSeconds(30));
    try (RegistryServer server = startServer(etcd); Client raw = EtcdClients.connect(List.of(etcd.clientUrl()))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      String base = "http://127.0.0.1:" + server.apiPort();
      expect(http, base, "/v1/namespaces/bench", "{}", 201);
      expect(http, base, "/v1/namespaces/bench/services/api", "{\"portName\":\"http\",\"appProtocol\":\"http\"}", 201);
      expect(http, base, "/v1/namespaces/bench/services/events", "{\"portName\":\"http\"}", 201);
      expect(http, base, "/v1/namespaces/bench/services/batch", "{\"portName\":\"http\"}", 201);

      System.out.printf(Locale.ROOT, "etcd %s (1 member, data in %s), registry on %s; %d warm-up + %d measured, "
          + "%d in flight; %d CPUs, load average %s%n", etcdVersion(etcd), dir, base, warmup, requests, concurrency,
          Runtime.getRuntime().availableProcessors(), loadAverage());

      // (a) registration throughput and latency: REST API vs raw jetcd put of the same JSON.
      KeyLayout rawKeys = new KeyLayout(RAW_PREFIX);
      // Netty on both arms: Vert.x's HTTP client here, jetcd's gRPC client for the raw puts.
      CpuTime.rememberServerEventLoops();
      io.vertx.core.Vertx clientVertx = io.vertx.core.Vertx.vertx();
      io.vertx.core.http.HttpClient netty = clientVertx.createHttpClient(
          new io.vertx.core.http.HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.apiPort()),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(concurrency));
      Load api = (i) -> {
        int status = netty.request(io.vertx.core.http.HttpMethod.PUT, "/v1/namespaces/bench/services/api/endpoints/e" + i)
            .compose(req -> req.putHeader("Authorization", "Bearer " + TOKEN).putHeader("Content-Type", "application/json")
                .send(io.vertx.core.buffer.Buffer.buffer(endpointJson(i))))
            .compose(resp -> resp.body().map(body -> resp.statusCode()))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (status != 201) {
          throw new IllegalStateException("PUT endpoint e" + i + " answered " + status);
        }
      };
      Load put = (i) -> raw.getKVClient()
          .put(rawKeys.endpoint("bench", "api", "e" + i), ByteSequence.from(endpointJson(i), StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);

      run(api, 0, warmup, null);
      // The registry's transaction shape from the harness: service exists, then put with prevKV.
      io.etcd.jetcd.ByteSequence serviceKey = new KeyLayout(PREFIX).service("bench", "api");
      Load txn = (i) -> raw.getKVClient().txn()
          .If(new io.etcd.jetcd.op.Cmp(serviceKey, io.etcd.jetcd.op.Cmp.Op.GREATER, io.etcd.jetcd.op.CmpTarget.version(0)))
          .Then(io.etcd.jetcd.op.Op.put(rawKeys.endpoint("bench", "txn", "e" + i),
              ByteSequence.from(endpointJson(i), StandardCharsets.UTF_8),
              io.etcd.jetcd.options.PutOption.builder().withPrevKV().build()))
          .commit().get(10, TimeUnit.SECONDS);
      run(put, 0, warmup, null);
      run(txn, 0, warmup, null);
      Histogram apiLatency = new ConcurrentHistogram(3);
      Histogram putLatency = new ConcurrentHistogram(3);
      double[] before = RegistryReport.serverTimes(server);
      CpuTime cpu0 = CpuTime.now(etcd.pid());
      java.util.Map<String, Long> groups0 = CpuTime.byGroup();
      double apiRate = run(api, warmup, requests, apiLatency);
      CpuTime cpu1 = CpuTime.now(etcd.pid());
      java.util.Map<String, Long> groups1 = CpuTime.byGroup();
      if (Boolean.getBoolean("bench.threads")) {
        groups1.forEach((g, ns) -> System.out.printf(Locale.ROOT, "  thread group %-28s %8.0f us/request%n", g,
            (ns - groups0.getOrDefault(g, 0L)) / 1e3 / requests));
      }
      double[] after = RegistryReport.serverTimes(server);
      double putRate = run(put, warmup, requests, putLatency);
      Histogram txnLatency = new ConcurrentHistogram(3);
      double txnRate = run(txn, warmup, requests, txnLatency);
      CpuTime cpu2 = CpuTime.now(etcd.pid());

      // (b) etcd put -> registry view listener, vs the put's own latency, sequential.
      KeyLayout keys = new KeyLayout(PREFIX);
      AtomicReference<Pending> pending = new AtomicReference<>();
      RegistryChange eventsChanged = new RegistryChange.EndpointsChanged("bench", "events");
      server.view().addListener(update -> {
        long now = System.nanoTime();
        Pending p = pending.get();
        if (p != null && update.changes().contains(eventsChanged)
            && update.current().endpoints("bench", "events").containsKey(p.id())) {
          p.arrived().complete(now);
        }
      });
      Histogram eventLatency = new Histogram(3);
      Histogram eventPutLatency = new Histogram(3);
      for (int i = 0; i < warmup / 5 + eventPuts; i++) {
        boolean measured = i >= warmup / 5;
        Pending p = new Pending("v" + i, new CompletableFuture<>());
        pending.set(p);
        long start = System.nanoTime();
        raw.getKVClient().put(keys.endpoint("bench", "events", p.id()),
            ByteSequence.from(endpointJson(i), StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        long putDone = System.nanoTime();
        long arrived = p.arrived().get(10, TimeUnit.SECONDS);
        if (measured) {
          eventPutLatency.recordValue(micros(putDone - start));
          eventLatency.recordValue(micros(arrived - start));
        }
      }

      RegistryReport.print(apiRate, apiLatency, putRate, putLatency, txnRate, txnLatency, eventLatency, eventPutLatency);
      System.out.println();
      System.out.println(RegistryReport.breakdown(before, after));
      System.out.printf(Locale.ROOT, "CPU per request (us)     whole JVM   server threads*      etcd%n");
      System.out.printf(Locale.ROOT, "  REST PUT               %9.0f %17.0f %9.0f%n", cpu1.jvmMicrosSince(cpu0) / requests,
          cpu1.serverMicrosSince(cpu0) / requests, cpu1.etcdMicrosSince(cpu0) / requests);
      System.out.printf(Locale.ROOT, "  raw jetcd put          %9.0f %17.0f %9.0f%n", cpu2.jvmMicrosSince(cpu1) / requests,
          cpu2.serverMicrosSince(cpu1) / requests, cpu2.etcdMicrosSince(cpu1) / requests);
      System.out.println("  * Vert.x, gRPC/jetcd and view threads; in the raw arm those gRPC/jetcd threads are the raw client's");
      // (c) the same endpoints' worth of batches, last, so that it does not change the figures above.
      new BatchArm(netty, raw, TOKEN, batch, RegistryBenchmark::endpointJson)
          .measure(this::run, Math.max(1, warmup / batch), Math.max(1, requests / batch), pairs, 0);
      clientVertx.close();
    } finally {
      etcd.close();
      deleteRecursively(dir);
    }
    return 0;
  }

  private static RegistryServer startServer(LocalEtcd etcd) {
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(new TokenFile.Entry("admin", TOKEN, Role.ADMIN, null)));
    RegistryServer server = new RegistryServer(new RegistryServer.Config(List.of(etcd.clientUrl()), PREFIX,
        "127.0.0.1", 0, tokens, Duration.ofSeconds(5), io.tether.registry.api.HttpLimits.defaults())).start();
    try {
      server.view().awaitRevision(1, Duration.ofSeconds(30)).get();
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("registry view did not load", e);
    }
    return server;
  }

  @FunctionalInterface
  interface Load {
    void request(int i) throws Exception;
  }

  private record Pending(String id, CompletableFuture<Long> arrived) {}

  /** Runs requests [from, from+count) with {@code concurrency} in flight; returns requests per second. */
  double run(Load load, int from, int count, Histogram latency) throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    int end = from + count;
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
            long t = System.nanoTime();
            load.request(i);
            if (latency != null) {
              latency.recordValue(micros(System.nanoTime() - t));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get(10, TimeUnit.MINUTES);
      }
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long micros(long nanos) {
    return Math.max(1, nanos / 1000);
  }

  private static String endpointJson(int i) {
    return "{\"address\":\"10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)
        + "\",\"port\":15000,\"zone\":\"bench-a\",\"health\":\"HEALTHY\",\"taskId\":\"task-" + i + "\"}";
  }

  private static void expect(HttpClient http, String base, String path, String body, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN)
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != status) {
      throw new IllegalStateException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static String etcdVersion(LocalEtcd etcd) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(etcd.clientUrl() + "/version")).build(), HttpResponse.BodyHandlers.ofString());
      return r.body().replaceAll(".*\"etcdserver\":\"([^\"]+)\".*", "$1");
    } catch (Exception e) {
      return "?";
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
