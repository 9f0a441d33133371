package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Poll;
import io.tether.registry.testing.RegistryPerClass;
import io.tether.registry.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code tether watch}: one line per change, or one JSON per line, from a real server's stream. */
class WatchCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  @Test
  void printsOneLinePerChangeOfItsNamespace() throws Exception {
    registry.api().put("/v1/namespaces/wc", "{}").expect(201);
    registry.api().put("/v1/namespaces/wc/services/web", "{\"portName\":\"http\"}").expect(201);
    StringWriter out = new StringWriter();
    Thread watching = start(out, "-n", "wc");
    try {
      // The stream is open once a change made now reaches it; only then does the test's change count.
      Poll.until(WAIT, () -> {
        registry.api().put("/v1/namespaces/other-wc", "{}");
        registry.api().put("/v1/namespaces/wc", "{\"description\":\"d\"}");
        return out.toString().contains("namespace wc");
      }, () -> "the watch prints a namespace change: " + out);
      registry.api().put("/v1/namespaces/wc/services/web/endpoints/t1", "{\"address\":\"10.1.2.3\",\"port\":8080}")
          .expect(201);
      Poll.until(WAIT, () -> out.toString().contains("wc/web/t1"), () -> "the endpoint's line: " + out);
      assertThat(out.toString()).containsPattern("\\d+\\s+put\\s+endpoint\\s+wc/web/t1 10\\.1\\.2\\.3:8080 HEALTHY");
      assertThat(out.toString()).doesNotContain("other-wc");
    } finally {
      stop(watching);
    }
  }

  @Test
  void jsonIsOneChangePerLine() throws Exception {
    registry.api().put("/v1/namespaces/wj", "{}");
    StringWriter out = new StringWriter();
    Thread watching = start(out, "-n", "wj", "-o", "json");
    try {
      Poll.until(WAIT, () -> {
        registry.api().put("/v1/namespaces/wj", "{\"description\":\"x" + System.nanoTime() + "\"}");
        return out.toString().contains("\"kind\":\"namespace\"");
      }, () -> "a JSON line: " + out);
      String first = out.toString().lines().findFirst().orElseThrow();
      assertThat(first).startsWith("{\"revision\":").contains("\"namespace\":\"wj\"").contains("\"op\":\"put\"");
    } finally {
      stop(watching);
    }
  }

  @Test
  void aNamespaceTheTokenMayNotReadIsOneErrorLineAndExitOne() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new WatchCommand()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err));
    int exit = cli.execute("-n", "b", "--server", registry.testRegistry().baseUrl(), "--token", TestRegistry.AGENT_A);
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("error: PERMISSION_DENIED").doesNotContain("\n");
  }

  private static Thread start(StringWriter out, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--server", registry.testRegistry().baseUrl(), "--token", TestRegistry.ADMIN},
        0, all, args.length, 4);
    CommandLine cli = new CommandLine(new WatchCommand()).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(new StringWriter()));
    Thread t = new Thread(() -> cli.execute(all), "watch-command");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void stop(Thread watching) throws InterruptedException {
    watching.interrupt();
    watching.join(WAIT.toMillis());
    assertThat(watching.isAlive()).as("the watch ends when interrupted").isFalse();
  }
}
