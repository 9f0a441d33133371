package io.tether.testbed.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's calling app: calls {@code URL} (the service by its alias name) {@code RATE} times a
 * second, each call bounded by 2 s and saying {@code x-user: alice}, and prints a {@link Tally} line
 * every second. The name resolves through the hosts file the agent writes (the demo starts this JVM
 * with {@code -Djdk.net.hosts.file} pointing at it). Usage: {@code DemoCaller URL RATE}.
 */
public final class DemoCaller {
  static final String USER_HEADER = "x-user";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CALL_TIMEOUT).build();
  private final HttpRequest request;
  private final long pauseNanos;

  private DemoCaller(URI url, int rate) {
    request = HttpRequest.newBuilder(url).header(USER_HEADER, "alice").timeout(CALL_TIMEOUT).build();
    pauseNanos = TimeUnit.SECONDS.toNanos(1) / rate;
  }

  public static void main(String[] args) throws Exception {
    new DemoCaller(URI.create(args[0]), Integer.parseInt(args[1])).run();
  }

  private void run() throws InterruptedException {
    long windowEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    Map<String, Integer> answers = new TreeMap<>();
    int failed = 0;
    String firstError = null;
    while (true) {
      long slot = System.nanoTime();
      String error = null;
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          answers.merge(r.body().trim(), 1, Integer::sum);
        } else {
          error = "status " + r.statusCode() + r.headers().firstValue("x-envoy-overloaded").map(h -> " (overloaded)").orElse("");
        }
      } catch (Exception e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      if (error != null) {
        failed++;
        firstError = firstError == null ? error : firstError;
      }
      if (System.nanoTime() >= windowEnd) {
        System.out.println(new Tally(answers, failed, firstError).line());
        System.out.flush();
        answers.clear();
        failed = 0;
        firstError = null;
        windowEnd += TimeUnit.SECONDS.toNanos(1);
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, slot + pauseNanos - System.nanoTime())); // pacing, not synchronisation
    }
  }
}
