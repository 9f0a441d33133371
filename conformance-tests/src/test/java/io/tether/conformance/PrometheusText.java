package io.tether.conformance;

import io.tether.registry.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape of {@code /metrics} over HTTP, parsed as the Prometheus text format (0.0.4): one sample a
 * line, {@code name{label="value",…} value}; comments and blank lines skipped, label values unescaped.
 */
final class PrometheusText {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  static PrometheusText scrape(String apiUrl) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || !r.headers().firstValue("content-type").orElse("").startsWith("text/plain")) {
        throw new AssertionError("GET /metrics answered " + r.statusCode() + " " + r.headers().map());
      }
      return parse(r.body());
    } catch (IOException e) {
      throw new AssertionError("GET /metrics failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A scrape of a mesh's replica. */
  static PrometheusText of(Mesh mesh) {
    return scrape(mesh.apiUrl());
  }

  /** Polls a mesh's /metrics until the sample {@code name, labels…} has grown since {@code before}. */
  static void awaitIncrease(Mesh mesh, PrometheusText before, Duration wait, String name, String... labels) {
    double from = before.value(name, labels);
    Poll.until(wait, () -> of(mesh).value(name, labels) > from, () -> name + " " + List.of(labels) + " above " + from);
  }

  static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        out.add(sample(line));
      }
    }
    return new PrometheusText(out);
  }

  /** The sum of the samples of {@code name} whose labels include {@code labels}; 0 when there are none. */
  double value(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value).sum();
  }

  double value(String name, String... labelPairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    return value(name, labels);
  }

  /** How much the sample {@code name, labels…} grew from {@code before} to this scrape. */
  double since(PrometheusText before, String name, String... labels) {
    return value(name, labels) - before.value(name, labels);
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name.equals(name));
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      rest = labels(line, brace + 1, labels);
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String[] valueAndTime = line.substring(rest).trim().split(" ");
    return new Sample(name, labels, number(valueAndTime[0]));
  }

  /** Reads {@code k="v",…} from {@code i} to the closing brace; returns the index after it. */
  private static int labels(String line, int i, Map<String, String> into) {
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char n = line.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
      }
      into.put(key, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
