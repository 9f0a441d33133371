package io.tether.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Polls a server's {@code GET /readyz} every 50 ms from a thread of its own (the cold start's readiness):
 * when it first answered 200, and how often it went from ready back to not ready after that (a flap). A
 * refused connection or a timeout reads as not ready.
 */
final class ReadinessWatch implements AutoCloseable {
  private static final long INTERVAL_MS = 50;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final HttpRequest request;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long firstReadyWallMs = -1;
  private volatile int flaps;

  private ReadinessWatch(int apiPort) {
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/readyz"))
        .timeout(Duration.ofSeconds(1)).build();
    thread = new Thread(this::poll, "readiness-watch");
    thread.setDaemon(true);
  }

  static ReadinessWatch start(int apiPort) {
    ReadinessWatch w = new ReadinessWatch(apiPort);
    w.thread.start();
    return w;
  }

  private void poll() {
    boolean wasReady = false;
    while (!stopped) {
      boolean ready = ready();
      if (ready && firstReadyWallMs < 0) {
        firstReadyWallMs = System.currentTimeMillis();
      }
      if (wasReady && !ready) {
        flaps++;
      }
      wasReady = ready;
      try {
        Thread.sleep(INTERVAL_MS); // the poll's interval
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private boolean ready() {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Wall-clock ms of the first 200; -1: never. */
  long firstReadyWallMs() {
    return firstReadyWallMs;
  }

  int flaps() {
    return flaps;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5_000);
  }
}
