package io.tether.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of a benchmark, on this one's classpath, spoken to by lines: commands on its stdin, answers
 * on its stdout (its stderr goes to the parent's). Closing it closes its stdin, then kills it if it has not
 * exited within ten seconds.
 */
final class Child implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;

  private Child(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  static Child start(List<String> jvmFlags, Class<?> main, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    return new Child(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  long pid() {
    return process.pid();
  }

  /** The next line starting with {@code prefix} (others are echoed to stderr); fails when the child ends first. */
  String await(String prefix) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
      System.err.println("child " + process.pid() + ": " + line);
    }
    throw new IOException("child " + process.pid() + " ended before printing " + prefix.strip());
  }

  /** Sends {@code command} and returns the answer line starting with {@code prefix}. */
  String ask(String command, String prefix) throws IOException {
    in.println(command);
    return await(prefix);
  }

  /** CPU time the child has used so far, in nanoseconds (utime + stime from /proc, 10 ms ticks). */
  long cpuNanos() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }

  /** The child's resident set size, in bytes (VmRSS from /proc). */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  /** Kills the child at once (SIGKILL), as a crash or an OOM kill would. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    in.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
