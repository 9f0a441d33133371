package io.tether.conformance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls a URL repeatedly (COUNT calls, PAUSE_MS apart, each bounded by 2 s) and prints one line per call:
 * epoch ms and the answer, or FAILED and why. Runs inside a test host's namespace, as an app would.
 */
public final class HttpCallerMain {
  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int count = Integer.parseInt(args[1]);
    long pause = Long.parseLong(args[2]);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < count; i++) {
      String answer;
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        answer = r.statusCode() == 200 ? r.body() : "FAILED status " + r.statusCode();
      } catch (Exception e) {
        answer = "FAILED " + e.getClass().getSimpleName();
      }
      System.out.println(System.currentTimeMillis() + " " + answer);
      System.out.flush();
      Thread.sleep(pause);
    }
    System.out.println("DONE");
  }
}
