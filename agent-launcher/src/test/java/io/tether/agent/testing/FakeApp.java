package io.tether.agent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * A tiny app for the agent's tests: an HTTP server on the port given as its first argument whose
 * {@code /healthz} fails (500) while the file {@code FAKE_APP_SICK_FILE} exists. It journals its start
 * (with pid and the GRPC_XDS_BOOTSTRAP it was given) and SIGTERM, and exits 0 on SIGTERM, unless
 * {@code FAKE_APP_IGNORE_TERM} is set.
 */
public final class FakeApp {
  public static void main(String[] args) throws Exception {
    Journal journal = Journal.fromEnvironment();
    int port = Integer.parseInt(args[0]);
    Path sick = System.getenv("FAKE_APP_SICK_FILE") == null ? null : Path.of(System.getenv("FAKE_APP_SICK_FILE"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      int status = sick != null && Files.exists(sick) ? 500 : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> {
      log(journal, "signal TERM");
      if (System.getenv("FAKE_APP_IGNORE_TERM") == null) {
        stop.countDown();
      }
    });
    log(journal, "start pid " + ProcessHandle.current().pid() + " bootstrap "
        + System.getenv().getOrDefault("GRPC_XDS_BOOTSTRAP", "-"));
    stop.await();
    server.stop(0);
    log(journal, "exit");
    System.exit(0);
  }

  private static void log(Journal journal, String event) {
    if (journal != null) {
      journal.append("app", event);
    }
  }

  public static Path install(Path dir) throws IOException {
    return Executables.javaMain(dir.resolve("app"), FakeApp.class);
  }
}
