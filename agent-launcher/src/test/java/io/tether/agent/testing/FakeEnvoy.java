package io.tether.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * A stand-in for Envoy at the process level, for testing the agent's supervision without Envoy: it
 * takes Envoy's command line ({@code -c bootstrap.json …}), serves {@code /ready}, {@code
 * /healthcheck/fail}, {@code /drain_listeners} and {@code /quitquitquit} on the bootstrap's admin port,
 * and journals every call and signal. Like Envoy it writes its log to stderr, where a line before each
 * exit on error says why. {@code FAKE_ENVOY_MODE} makes it misbehave: {@code crash-after:MS} (exit 1
 * after MS), {@code exit-at-start} (exit 1 before serving anything, as Envoy does on a bad bootstrap),
 * {@code never-ready}, {@code hang} (ignore SIGTERM and /quitquitquit).
 */
public final class FakeEnvoy {
  public static void main(String[] args) throws Exception {
    Journal journal = Journal.fromEnvironment();
    String mode = System.getenv().getOrDefault("FAKE_ENVOY_MODE", "normal");
    Path bootstrap = Path.of(args[List.of(args).indexOf("-c") + 1]);
    JsonNode config = Json.MAPPER.readTree(Files.readAllBytes(bootstrap));
    int adminPort = config.at("/admin/address/socket_address/port_value").asInt();
    log(journal, "start pid " + ProcessHandle.current().pid() + " " + String.join(" ", args));
    System.err.println("[info][main] fake envoy starting, admin port " + adminPort + ", mode " + mode);
    if (mode.equals("exit-at-start")) {
      System.err.println("[critical][main] error initializing configuration '" + bootstrap + "': fake envoy asked to fail");
      log(journal, "crash");
      System.exit(1);
    }

    CountDownLatch quit = new CountDownLatch(1);
    HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", adminPort), 0);
    admin.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      log(journal, exchange.getRequestMethod() + " " + path);
      int status = path.equals("/ready") && mode.equals("never-ready") ? 503 : 200;
      byte[] body = (path.equals("/ready") ? "LIVE" : "OK").getBytes();
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      if (path.equals("/quitquitquit") && !mode.equals("hang")) {
        quit.countDown();
      }
    });
    admin.start();
    Signal.handle(new Signal("TERM"), s -> {
      log(journal, "signal TERM");
      if (!mode.equals("hang")) {
        quit.countDown();
      }
    });
    if (mode.startsWith("crash-after:")) {
      long ms = Long.parseLong(mode.substring("crash-after:".length()));
      if (!quit.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        System.err.println("[critical][backtrace] Caught Segmentation fault, suspect faulting address 0x0 (fake envoy)");
        log(journal, "crash");
        Runtime.getRuntime().halt(1);
      }
    }
    quit.await();
    log(journal, "exit");
    admin.stop(0);
    System.exit(0);
  }

  private static void log(Journal journal, String event) {
    if (journal != null) {
      journal.append("envoy", event);
    }
  }

  /** Writes an executable that runs this stand-in as {@code envoy}, with the test's classpath. */
  public static Path install(Path dir) throws IOException {
    return Executables.javaMain(dir.resolve("envoy"), FakeEnvoy.class);
  }
}
