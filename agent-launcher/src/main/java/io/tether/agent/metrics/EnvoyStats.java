package io.tether.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one read of Envoy's admin interface says, as read: its counters and gauges by full stat name
 * ({@code /stats?format=json}), its histograms as cumulative buckets ({@code histogram_buckets=cumulative}),
 * and each cluster's hosts with their own counters ({@code /clusters?format=json}). Nothing is kept
 * between reads: every scrape derives its figures from a new one (docs/task-metrics.md).
 */
public record EnvoyStats(Map<String, Long> values, Map<String, List<Bucket>> histograms, List<Cluster> clusters) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The admin query of the stats this reads: cluster, HTTP and TCP proxy stats only. */
  public static final String STATS_QUERY = "/stats?format=json&histogram_buckets=cumulative&filter=%5E(cluster%7Chttp%7Ctcp)%5C.";

  /** The admin query of the per-host figures. */
  public static final String CLUSTERS_QUERY = "/clusters?format=json";

  /** One cumulative bucket: how many samples were at most {@code upperBound} (Envoy's unit, e.g. ms). */
  public record Bucket(double upperBound, long cumulative) {}

  /** A cluster as {@code /clusters} names it ({@code payments.prod}, {@code local:payments}) and its hosts. */
  public record Cluster(String name, List<Host> hosts) {}

  /** One host of a cluster, {@code address:port}, and its counters ({@code rq_total}, {@code cx_active}…). */
  public record Host(String address, Map<String, Long> stats) {}

  /** The value of a counter or gauge, or 0 when Envoy has no such stat (yet). */
  public long value(String name) {
    return values.getOrDefault(name, 0L);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Parses the two admin answers; throws IOException on JSON that is not Envoy's. */
  public static EnvoyStats parse(String statsJson, String clustersJson) throws IOException {
    Map<String, Long> values = new HashMap<>();
    Map<String, List<Bucket>> histograms = new HashMap<>();
    for (JsonNode stat : JSON.readTree(statsJson).path("stats")) {
      if (stat.has("histograms")) {
        stat.path("histograms").forEach(h -> histograms.put(h.path("name").asText(), buckets(h.path("buckets"))));
      } else if (stat.path("value").isNumber()) { // text readouts have string values: not figures
        values.put(stat.path("name").asText(), stat.path("value").asLong());
      }
    }
    List<Cluster> clusters = new ArrayList<>();
    for (JsonNode cluster : JSON.readTree(clustersJson).path("cluster_statuses")) {
      List<Host> hosts = new ArrayList<>();
      cluster.path("host_statuses").forEach(h -> hosts.add(host(h)));
      clusters.add(new Cluster(cluster.path("name").asText(), List.copyOf(hosts)));
    }
    return new EnvoyStats(Map.copyOf(values), Map.copyOf(histograms), List.copyOf(clusters));
  }

  private static List<Bucket> buckets(JsonNode buckets) {
    List<Bucket> out = new ArrayList<>();
    buckets.forEach(b -> out.add(new Bucket(b.path("upper_bound").asDouble(), b.path("cumulative").asLong())));
    return List.copyOf(out);
  }

  /** A host's counters: Envoy leaves {@code value} out when it is 0, and writes it as a string otherwise. */
  private static Host host(JsonNode host) {
    JsonNode socket = host.path("address").path("socket_address");
    Map<String, Long> stats = new HashMap<>();
    host.path("stats").forEach(s -> stats.put(s.path("name").asText(), s.path("value").asLong(0)));
    return new Host(socket.path("address").asText() + ":" + socket.path("port_value").asInt(), Map.copyOf(stats));
  }
}
