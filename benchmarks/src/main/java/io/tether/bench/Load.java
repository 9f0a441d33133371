package io.tether.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load: {@code concurrency} threads, each sending its next GET when the last
 * one answered, until {@code requests} were sent; every answer must be 200. The JDK HttpClient keeps
 * its connections to the caller's egress listener alive.
 */
final class Load implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final int concurrency;
  private final ExecutorService threads;

  Load(int concurrency) {
    this.concurrency = concurrency;
    this.threads = Executors.newFixedThreadPool(concurrency);
  }

  /** What one run measured: latency in microseconds and requests per second. */
  record Run(Histogram latencyMicros, double perSecond) {
    double ms(double percentile) {
      return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  Run run(String url, int requests) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    AtomicInteger left = new AtomicInteger(requests);
    List<Future<Histogram>> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      workers.add(threads.submit(() -> worker(request, left)));
    }
    Histogram all = new Histogram(3);
    for (Future<Histogram> w : workers) {
      all.add(w.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Run(all, requests / seconds);
  }

  private Histogram worker(HttpRequest request, AtomicInteger left) throws Exception {
    Histogram h = new Histogram(3);
    while (left.getAndDecrement() > 0) {
      long start = System.nanoTime();
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(request.uri() + " answered " + r.statusCode());
      }
      h.recordValue((System.nanoTime() - start) / 1000);
    }
    return h;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
