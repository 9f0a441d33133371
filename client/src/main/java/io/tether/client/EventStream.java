package io.tether.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A server-sent event stream read line by line until the server ends it, on the JDK's HTTP client. The
 * caller's thread waits for the end, so that an interrupt of it closes the stream (a blocking read of
 * the body would not notice one).
 */
final class EventStream implements Flow.Subscriber<String> {
  private final Consumer<String> lines;
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  private EventStream(Consumer<String> lines) {
    this.lines = lines;
  }

  /** Sends the request and hands each line of a 200 answer on; any other answer is thrown as {@link ApiException}. */
  static void follow(HttpClient http, HttpRequest request, String base, String path, Consumer<String> lines) {
    EventStream stream = new EventStream(lines);
    CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info ->
        info.statusCode() == 200
            ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.fromLineSubscriber(stream), v -> null)
            : HttpResponse.BodySubscribers.ofByteArray());
    try {
      HttpResponse<byte[]> r = answer.get();
      if (r.statusCode() != 200) {
        throw ApiException.refused("GET", base, path, new ApiResponse(r.statusCode(), r.body(), null));
      }
    } catch (ExecutionException e) {
      throw ApiException.noAnswer("GET", base, path, e.getCause() instanceof Exception c ? c : e);
    } catch (InterruptedException e) {
      stream.cancel();
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw ApiException.noAnswer("GET", base, path, e);
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    lines.accept(line);
  }

  @Override
  public void onError(Throwable t) {
    // the answer's future fails with it
  }

  @Override
  public void onComplete() {
    // the answer's future completes
  }

  private void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
