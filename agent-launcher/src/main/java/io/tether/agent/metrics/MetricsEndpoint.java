package io.tether.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.tether.agent.envoy.EnvoyAdmin;
import io.tether.process.PortOwner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's {@code GET /metrics} (docs/task-metrics.md): each scrape reads its Envoy's admin interface
 * and answers Service Connect's metrics in Prometheus' text format, derived from that read alone, so
 * nothing here can drift from Envoy. The JDK's HTTP server, on one daemon thread
 * {@code tether-task-metrics}: scrapes are seconds apart and each is two local admin reads.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  /**
   * Where the endpoint listens.
   *
   * @param port 0 for no endpoint
   * @param portGiven whether the operator chose the port: a taken port then fails the task; the default
   *     one taken (several agents on one host) only costs that task its metrics, with a warning
   */
  public record Settings(String address, int port, boolean portGiven) {
    public static final int DEFAULT_PORT = 9902;
    public static final String DEFAULT_ADDRESS = "0.0.0.0";

    /**
     * These settings, unless their port is one the task uses for something else ({@code taken}: port to
     * whose it is): a given port is then an error, the default one gives way (no metrics, with a warning).
     *
     * @param name how the operator sets the port, for the message: {@code --metrics-port}
     */
    public Settings avoiding(String name, Map<Integer, String> taken) {
      String owner = port == 0 ? null : taken.get(port);
      if (owner == null) {
        return this;
      }
      if (portGiven) {
        throw new IllegalArgumentException(name + " " + port + " is also " + owner
            + ": give one of them another port (" + name + " 0 for no metrics)");
      }
      log.warn("the default metrics port {} is also {}: this task serves no metrics (give it a {})", port, owner, name);
      return new Settings(address, 0, false);
    }
  }

  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsEndpoint(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /** Starts the endpoint, or returns null when there is none to start (port 0, or the default port taken). */
  public static MetricsEndpoint start(Settings settings, EnvoyAdmin envoy, ServiceConnectMetrics.Task task) {
    if (settings.port() == 0) {
      return null;
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.address(), settings.port()), 0);
    } catch (BindException e) {
      String taken = "the metrics port " + settings.address() + ":" + settings.port() + " is taken"
          + PortOwner.listening(settings.port()).map(p -> " by " + p).orElse("");
      if (settings.portGiven()) {
        throw new IllegalStateException(taken + ": give another --metrics-port, or 0 for none");
      }
      log.warn("{}: this task serves no metrics (give it its own --metrics-port)", taken);
      return null;
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + settings.address() + ":" + settings.port()
          + " for metrics: " + e.getMessage(), e);
    }
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "tether-task-metrics");
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", exchange -> answer(exchange, envoy, task));
    server.setExecutor(thread);
    server.start();
    log.info("metrics on http://{}:{}/metrics", settings.address(), server.getAddress().getPort());
    return new MetricsEndpoint(server, thread);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, EnvoyAdmin envoy, ServiceConnectMetrics.Task task)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: GET /metrics\n");
      } else {
        scrape(exchange, envoy, task);
      }
    }
  }

  private static void scrape(HttpExchange exchange, EnvoyAdmin envoy, ServiceConnectMetrics.Task task)
      throws IOException {
    EnvoyStats stats;
    try {
      stats = EnvoyStats.parse(envoy.get(EnvoyStats.STATS_QUERY), envoy.get(EnvoyStats.CLUSTERS_QUERY));
    } catch (IOException e) {
      // Envoy restarting (EnvoySupervisor) or not up yet: the scrape fails, the next one may not.
      send(exchange, 503, "text/plain; charset=utf-8", "Envoy's admin on " + envoy.address()
          + " did not answer: " + e.getMessage() + "\n");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 503, "text/plain; charset=utf-8", "stopping\n");
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    WRITER.write(body, ServiceConnectMetrics.derive(stats, task));
    send(exchange, 200, WRITER.getContentType(), body.toString(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
