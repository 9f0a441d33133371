package io.tether.conformance;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * An app on a test host calling a service by its alias, {@code NAME:PORT}, in one protocol, every PAUSE_MS
 * (each call bounded by 2 s) until stdin closes or 5 minutes pass: one line per call, the epoch ms it
 * ended at and the answer, or {@code FAILED} and why. The alias is resolved by the JVM's ordinary resolver (InetAddress, i.e. the
 * system's /etc/hosts; Vert.x's resolver reads the same file): the test makes the agent's hosts file that
 * /etc/hosts, as the agent's own /etc/hosts would be on a real host.
 *
 * <p>Usage: {@code ProtocolCallerMain http|http2|grpc|tcp NAME PORT PAUSE_MS}
 */
public final class ProtocolCallerMain {
  private ProtocolCallerMain() {}

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    long pause = Long.parseLong(args[3]);
    Callable<String> call = switch (args[0]) {
      case "http" -> http(host, port);
      case "http2" -> http2(host, port);
      case "grpc" -> grpc(host, port);
      case "tcp" -> () -> tcp(host, port);
      default -> throw new IllegalArgumentException("protocol: " + args[0]);
    };
    ProtocolAppMain.daemon(ProtocolCallerMain::exitWhenStdinCloses);
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < end) {
      String answer;
      try {
        answer = call.call();
      } catch (Exception e) {
        answer = "FAILED " + e;
      }
      System.out.println(System.currentTimeMillis() + " " + answer);
      System.out.flush();
      Thread.sleep(pause);
    }
    System.exit(0);
  }

  private static Callable<String> http(String host, int port) {
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
        .timeout(Duration.ofSeconds(2)).build();
    return () -> {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "FAILED status " + r.statusCode();
    };
  }

  /** h2c with prior knowledge (no HTTP/1.1 Upgrade), which the JDK's client cannot do. */
  private static Callable<String> http2(String host, int port) {
    HttpClient client = Vertx.vertx().createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setConnectTimeout(2000));
    return () -> client.request(HttpMethod.GET, port, host, "/")
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.version() == HttpVersion.HTTP_2
            ? body.toString() : "FAILED answered in " + response.version()))
        .toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
  }

  /** A plain (non-xDS) channel: {@code dns:///} resolves the alias through InetAddress, i.e. /etc/hosts. */
  private static Callable<String> grpc(String host, int port) {
    ManagedChannel channel = Grpc.newChannelBuilder("dns:///" + host + ":" + port, InsecureChannelCredentials.create())
        .build();
    return () -> ClientCalls.blockingUnaryCall(channel, EchoBackend.CALL,
        CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), "hello");
  }

  /** One connection per call, so that each call is balanced anew (tcp_proxy balances connections). */
  private static String tcp(String host, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), 2000);
      s.setSoTimeout(2000);
      new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("ping");
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
      return line != null && line.endsWith(" ping") ? line.substring(0, line.length() - 5) : "FAILED answer " + line;
    }
  }

  private static void exitWhenStdinCloses() {
    try {
      while (System.in.read() >= 0) {
        // nothing is sent: the test closes stdin when it is done with this caller
      }
    } catch (Exception e) {
      // closed
    }
    System.exit(0);
  }
}
