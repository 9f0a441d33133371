package io.tether.bench;

import io.micrometer.core.instrument.Timer;
import io.tether.registry.RegistryServer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** What {@link RegistryBenchmark} prints: its two tables, and where a registration's time goes. */
final class RegistryReport {
  private RegistryReport() {}

  /** Total ms and count of the server's PUT-endpoint requests, etcd reads and etcd txns so far. */
  static double[] serverTimes(RegistryServer server) {
    Timer http = server.meters().find("tether.http.requests").tag("method", "PUT")
        .tag("route", "/v1/namespaces/:ns/services/:svc/endpoints/:id").tag("status", "201").timer();
    Timer read = server.meters().find("tether.etcd.requests").tag("op", "read").tag("outcome", "ok").timer();
    Timer txn = server.meters().find("tether.etcd.requests").tag("op", "txn").tag("outcome", "ok").timer();
    double[] out = new double[6];
    Timer[] timers = {http, read, txn};
    for (int k = 0; k < 3; k++) {
      out[2 * k] = timers[k] == null ? 0 : timers[k].totalTime(TimeUnit.MILLISECONDS);
      out[2 * k + 1] = timers[k] == null ? 0 : timers[k].count();
    }
    return out;
  }

  /** Where a REST registration's time goes inside the server, as means over the measured run. */
  static String breakdown(double[] before, double[] after) {
    double[] mean = new double[3];
    for (int k = 0; k < 3; k++) {
      double n = after[2 * k + 1] - before[2 * k + 1];
      mean[k] = n == 0 ? Double.NaN : (after[2 * k] - before[2 * k]) / n;
    }
    return String.format(Locale.ROOT, "inside the server, one REST registration (means): %.2f ms = etcd txn %.2f"
        + " + HTTP, auth, JSON and validation %.2f", mean[0], mean[2], mean[0] - mean[2]);
  }

  static void print(double apiRate, Histogram api, double putRate, Histogram put,
      double txnRate, Histogram txn, Histogram event, Histogram eventPut) {
    System.out.println();
    System.out.println("(a) endpoint registration              req/s     p50 ms    p99 ms");
    row("REST PUT .../endpoints/{id}", apiRate, api);
    row("raw jetcd put, same JSON", putRate, put);
    row("raw jetcd txn, same compares", txnRate, txn);
    System.out.printf(Locale.ROOT, "  %-32s %9.2f %10.2f %9.2f%n", "ratio REST / raw put", apiRate / putRate,
        ms(api, 50) / ms(put, 50), ms(api, 99) / ms(put, 99));
    System.out.printf(Locale.ROOT, "  %-32s %9.2f %10.2f %9.2f%n", "ratio REST / raw txn", apiRate / txnRate,
        ms(api, 50) / ms(txn, 50), ms(api, 99) / ms(txn, 99));
    System.out.println();
    System.out.printf(Locale.ROOT, "(b) sequential, n=%d                               p50 ms    p99 ms%n",
        event.getTotalCount());
    row("etcd put -> view listener", Double.NaN, event);
    row("etcd put (its own latency)", Double.NaN, eventPut);
    System.out.printf(Locale.ROOT, "  %-32s %9s %10.2f %9.2f%n", "ratio event / put", "",
        ms(event, 50) / ms(eventPut, 50), ms(event, 99) / ms(eventPut, 99));
  }

  private static void row(String name, double rate, Histogram h) {
    System.out.printf(Locale.ROOT, "  %-32s %9s %10.2f %9.2f%n", name,
        Double.isNaN(rate) ? "" : String.format(Locale.ROOT, "%.0f", rate), ms(h, 50), ms(h, 99));
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }
}
