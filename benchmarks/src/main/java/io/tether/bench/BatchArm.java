package io.tether.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.tether.registry.store.KeyLayout;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@link RegistryBenchmark}'s batch arm: {@code PUT /v1/namespaces/bench/endpoints} carrying {@code size}
 * endpoints of one service, against raw jetcd transactions carrying the same compares and puts (service
 * exists; {@code size} puts with prevKV), one transaction per batch, at the same concurrency. The two are
 * interleaved ({@code pairs} rounds of each, REST first) because on a shared machine the load moves
 * between runs; throughput is endpoints per second, latency is per batch.
 */
final class BatchArm {
  /** RegistryBenchmark's closed loop: requests [from, from+count), the requests per second. */
  interface Runner {
    double run(RegistryBenchmark.Load load, int from, int count, Histogram latency) throws Exception;
  }

  private final HttpClient http;
  private final Client raw;
  private final String token;
  private final int size;
  private final IntFunction<String> endpointJson;

  BatchArm(HttpClient http, Client raw, String token, int size, IntFunction<String> endpointJson) {
    this.http = http;
    this.raw = raw;
    this.token = token;
    this.size = size;
    this.endpointJson = endpointJson;
  }

  /** Registers {@code batches} batches per round and prints the table; endpoints are numbered from {@code base}. */
  void measure(Runner runner, int warmup, int batches, int pairs, int base) throws Exception {
    runner.run(this::rest, base, warmup, null);
    runner.run(this::txn, base, warmup, null);
    Histogram restLatency = new ConcurrentHistogram(3);
    Histogram txnLatency = new ConcurrentHistogram(3);
    double[] rest = new double[pairs];
    double[] txn = new double[pairs];
    double[] ratios = new double[pairs];
    Map<String, Long> restCpu = new TreeMap<>();
    for (int p = 0; p < pairs; p++) {
      int from = base + warmup + p * batches;
      Map<String, Long> before = CpuTime.byGroup();
      rest[p] = runner.run(this::rest, from, batches, restLatency) * size;
      CpuTime.byGroup().forEach((g, ns) -> restCpu.merge(g, ns - before.getOrDefault(g, 0L), Long::sum));
      txn[p] = runner.run(this::txn, from, batches, txnLatency) * size;
      ratios[p] = rest[p] / txn[p];
    }
    if (Boolean.getBoolean("bench.threads")) {
      long endpoints = (long) pairs * batches * size;
      restCpu.forEach((g, ns) -> System.out.printf(Locale.ROOT, "  REST batch: thread group %-28s %6.1f us/endpoint%n",
          g, ns / 1e3 / endpoints));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "(c) batches of %d endpoints, %d pairs   endpoints/s  p50 ms    p99 ms  (per batch)%n",
        size, pairs);
    row("REST PUT /v1/namespaces/{ns}/endpoints", median(rest), restLatency);
    row("raw jetcd txn, same compares", median(txn), txnLatency);
    System.out.printf(Locale.ROOT, "  %-38s %9.2f %9.2f %9.2f   (rate: median of the pairs' ratios, %s)%n",
        "ratio REST / raw txn", median(ratios), ms(restLatency, 50) / ms(txnLatency, 50),
        ms(restLatency, 99) / ms(txnLatency, 99), range(ratios));
  }

  private void rest(int batch) throws Exception {
    StringBuilder body = new StringBuilder("{\"endpoints\":[");
    for (int k = 0; k < size; k++) {
      int i = batch * size + k;
      body.append(k == 0 ? "" : ",").append("{\"service\":\"batch\",\"id\":\"b").append(i).append("\",\"endpoint\":")
          .append(endpointJson.apply(i)).append('}');
    }
    body.append("]}");
    int status = http.request(HttpMethod.PUT, "/v1/namespaces/bench/endpoints")
        .compose(req -> req.putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
            .send(Buffer.buffer(body.toString())))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (status != 200) {
      throw new IllegalStateException("PUT batch " + batch + " answered " + status);
    }
  }

  private void txn(int batch) throws Exception {
    KeyLayout rawKeys = new KeyLayout(RegistryBenchmark.RAW_PREFIX);
    ByteSequence serviceKey = new KeyLayout(RegistryBenchmark.PREFIX).service("bench", "batch");
    List<Op> puts = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      int i = batch * size + k;
      puts.add(Op.put(rawKeys.endpoint("bench", "batch", "b" + i),
          ByteSequence.from(endpointJson.apply(i), StandardCharsets.UTF_8), PutOption.builder().withPrevKV().build()));
    }
    raw.getKVClient().txn().If(new Cmp(serviceKey, Cmp.Op.GREATER, CmpTarget.version(0)))
        .Then(puts.toArray(Op[]::new)).commit().get(10, TimeUnit.SECONDS);
  }

  private static void row(String name, double rate, Histogram h) {
    System.out.printf(Locale.ROOT, "  %-38s %9.0f %9.2f %9.2f%n", name, rate, ms(h, 50), ms(h, 99));
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String range(double[] values) {
    return String.format(Locale.ROOT, "%.2f-%.2f", Arrays.stream(values).min().orElse(0), Arrays.stream(values).max().orElse(0));
  }
}
