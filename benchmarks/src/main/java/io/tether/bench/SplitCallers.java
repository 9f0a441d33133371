package io.tether.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Steady calls through each Envoy (one thread per Envoy, one call every {@value #PACE_MS} ms on a
 * keep-alive connection), recording when each call started and which backend answered it, so that a
 * weight change's effect on the traffic can be read afterwards, per Envoy.
 */
final class SplitCallers implements AutoCloseable {
  private static final long PACE_MS = 5;

  /** One call: when it started, and the backend that answered it (null: it failed). */
  record Call(long startNanos, String backend) {}

  private final List<List<Call>> calls = new ArrayList<>();
  private final ExecutorService threads;
  private volatile boolean running = true;

  SplitCallers(List<String> urls) {
    threads = Executors.newFixedThreadPool(urls.size(), r -> {
      Thread t = new Thread(r, "split-caller");
      t.setDaemon(true);
      return t;
    });
    for (String url : urls) {
      List<Call> own = Collections.synchronizedList(new ArrayList<>());
      calls.add(own);
      threads.execute(() -> callLoop(url, own));
    }
  }

  private void callLoop(String url, List<Call> out) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    while (running) {
      long start = System.nanoTime();
      String backend = null;
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        backend = r.statusCode() == 200 ? r.body() : null;
      } catch (java.io.IOException e) {
        backend = null;
      } catch (InterruptedException e) {
        return;
      }
      out.add(new Call(start, backend));
      try {
        Thread.sleep(PACE_MS); // pacing of the load, not synchronization
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Calls that failed (an error or a status other than 200), over every Envoy, so far. */
  long failures() {
    return calls.stream().mapToLong(c -> snapshot(c).stream().filter(call -> call.backend() == null).count()).sum();
  }

  /** Calls made so far, over every Envoy. */
  long total() {
    return calls.stream().mapToLong(c -> snapshot(c).size()).sum();
  }

  /**
   * Per Envoy, the nanoseconds from {@code sinceNanos} to the start of the first call after which every
   * call reached {@code backend}, once at least {@code settled} calls have; null while some Envoy has not.
   */
  List<Long> switchTimes(long sinceNanos, String backend, int settled) {
    List<Long> out = new ArrayList<>();
    for (List<Call> own : calls) {
      List<Call> after = snapshot(own).stream().filter(c -> c.startNanos() >= sinceNanos).toList();
      int firstOfRun = after.size();
      while (firstOfRun > 0 && backend.equals(after.get(firstOfRun - 1).backend())) {
        firstOfRun--;
      }
      if (after.size() - firstOfRun < settled) {
        return null;
      }
      out.add(after.get(firstOfRun).startNanos() - sinceNanos);
    }
    return out;
  }

  private static List<Call> snapshot(List<Call> list) {
    synchronized (list) {
      return new ArrayList<>(list);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }
}
