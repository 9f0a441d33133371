package io.tether.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where one agent JVM's memory goes, per arm: a task started with {@code -XX:NativeMemoryTracking=summary}
 * and, once steady, {@code jcmd PID VM.native_memory summary}'s committed figure per category beside the
 * process's RSS (tracking itself costs a little memory, which its own line shows).
 */
final class NativeMemory {
  private NativeMemory() {}

  static void print(AgentMesh mesh, List<JvmArm> arms, int settleSeconds) throws Exception {
    for (JvmArm arm : arms) {
      List<String> flags = new ArrayList<>(arm.flags());
      flags.add("-XX:NativeMemoryTracking=summary");
      try (PerTaskAgents task = PerTaskAgents.start(mesh, new JvmArm(arm.name() + "-nmt", flags, arm.env()), 1, 1, "nmt-" + arm.name())) {
        task.awaitRegistered(java.time.Duration.ofSeconds(120));
        Thread.sleep(settleSeconds * 1000L); // the measurement window, as for the other figures
        AgentProcess agent = task.first();
        System.out.printf(Locale.ROOT, "%nNative memory of one agent, arm %s: RSS %.1f MiB (RssAnon %.1f)%n", arm,
            AgentBenchmark.mib(agent.memory().rssBytes()), AgentBenchmark.mib(agent.memory().anonBytes()));
        summary(agent.pid()).forEach(System.out::println);
      }
    }
  }

  /** The lines of the summary that name a category and its reserved and committed memory. */
  private static List<String> summary(long pid) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "VM.native_memory", "summary", "scale=KB").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
      jcmd.destroyForcibly();
    }
    return out.lines().filter(l -> l.startsWith("Total") || l.trim().startsWith("-") && l.contains("committed="))
        .map(String::strip).toList();
  }
}
