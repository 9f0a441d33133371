package io.tether.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.AgentMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/agent-jvm.options, the JVM flags ./tether and the sidecar image give every agent (docs/scale.md
 * "The agent's own cost"): a JVM takes the file as they pass it, the agent runs under it, and the flags in
 * force are the ones the measurements chose. A flag the JVM refused would stop every agent from starting.
 */
class AgentJvmOptionsTest {
  private static final Path OPTIONS = Path.of("..", "deploy", "agent-jvm.options");

  @Test
  void theAgentRunsUnderTheOptionsFileWithTheChosenFlagsInForce() throws Exception {
    assertThat(OPTIONS).isRegularFile();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + OPTIONS, "-XX:+PrintFlagsFinal", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
        "--help").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("Usage: tether agent");
    assertThat(flag(out, "UseSerialGC")).isEqualTo("true");
    assertThat(flag(out, "MaxHeapSize")).isEqualTo(Long.toString(32L << 20));
    assertThat(flag(out, "TieredStopAtLevel")).isEqualTo("1");
    assertThat(flag(out, "CICompilerCount")).isEqualTo("1");
  }

  @Test
  void aFlagGivenAfterTheFileWinsAsTetherJavaOptsDoes() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + OPTIONS, "-Xmx64m", "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(flag(out, "MaxHeapSize")).isEqualTo(Long.toString(64L << 20));
  }

  /** A flag's value in -XX:+PrintFlagsFinal's table ({@code type name = value {kind} {origin}}). */
  private static String flag(String printed, String name) {
    List<String> values = printed.lines().map(String::trim).map(l -> l.split("\\s+"))
        .filter(f -> f.length >= 4 && f[1].equals(name) && f[2].equals("=")).map(f -> f[3]).toList();
    assertThat(values).as("flag " + name).hasSize(1);
    return values.get(0);
  }
}
