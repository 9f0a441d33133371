package io.tether.conformance;

import io.tether.testbed.NetnsHosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An app on a test host calling one URL in a steady loop ({@link HttpCallerMain}, one call every
 * {@code pauseMs} plus its latency), for as long as the test runs; every answer is kept with the
 * time it was printed, so a test can count the calls and failures of a window around a fault.
 */
final class SteadyCaller implements AutoCloseable {
  /** One call: when the caller printed it (epoch ms) and what answered (a host's name, or FAILED …). */
  record Call(long epochMs, String answer) {
    boolean failed() {
      return answer.startsWith("FAILED");
    }
  }

  private final Process process;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Thread reader;

  /**
   * Starts calling {@code url} inside {@code host}, resolving names through {@code hostsFile} (the
   * file the host's agent writes its aliases to), as an app resolving through /etc/hosts would.
   */
  SteadyCaller(NetnsHosts net, NetnsHosts.Host host, Path hostsFile, String url, long pauseMs, Path log)
      throws Exception {
    List<String> command = new ArrayList<>(TestProcesses.java(List.of("-Djdk.net.hosts.file=" + hostsFile,
        "-Dnetworkaddress.cache.ttl=0")));
    command.addAll(List.of(HttpCallerMain.class.getName(), url, Integer.toString(Integer.MAX_VALUE),
        Long.toString(pauseMs)));
    process = TestProcesses.spawn(new ProcessBuilder(net.exec(host, command)).redirectError(log.toFile()));
    reader = new Thread(this::read, "steady-caller-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        int space = line.indexOf(' ');
        if (space > 0) {
          calls.add(new Call(Long.parseLong(line.substring(0, space)), line.substring(space + 1)));
        }
      }
    } catch (Exception e) {
      // the caller was stopped
    }
  }

  /** The calls made since {@code epochMs}. */
  List<Call> since(long epochMs) {
    return calls.stream().filter(c -> c.epochMs() >= epochMs).toList();
  }

  /** True when {@code name} answered a call made since {@code epochMs}. */
  boolean answeredSince(String name, long epochMs) {
    return since(epochMs).stream().anyMatch(c -> c.answer().equals(name));
  }

  static long failed(List<Call> calls) {
    return calls.stream().filter(Call::failed).count();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    reader.join(5_000);
  }
}
