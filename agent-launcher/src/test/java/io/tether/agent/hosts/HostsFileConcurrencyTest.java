package io.tether.agent.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers on one hosts file at once, each with its own HostsFile, as two agents would be. */
class HostsFileConcurrencyTest {
  private static final String ORIGINAL = "127.0.0.1\tlocalhost\n# keep me\n\n::1 ip6-localhost\n";

  @TempDir
  Path dir;

  @Test
  void twoConcurrentWritersNeverLeaveAReaderAPartialOrDoubledFile() throws Exception {
    Path file = Files.writeString(dir.resolve("hosts"), ORIGINAL, StandardCharsets.ISO_8859_1);
    Map<String, String> a = Map.of("payments", "127.255.0.7", "orders", "127.255.0.8");
    Map<String, String> b = Map.of("payments", "127.255.1.7", "search", "127.255.1.9", "cart", "127.255.1.10");
    ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      int reads = 0;
      while (writing.get() || reads == 0) {
        String text = readQuietly(file, bad);
        Map<String, String> entries = HostsText.entries(text);
        if (!text.startsWith(ORIGINAL) || count(text, HostsFile.BEGIN) != 1 || count(text, HostsFile.END) != 1
            || !(entries.equals(a) || entries.equals(b))) {
          bad.add(text);
        }
        reads++;
      }
    });
    Files.writeString(file, ORIGINAL + HostsText.withBlock("", a), StandardCharsets.ISO_8859_1);
    reader.start();

    runConcurrently(200, i -> new HostsFile(file).write(i % 2 == 0 ? a : b),
        i -> new HostsFile(file).write(i % 2 == 0 ? b : a));
    writing.set(false);
    reader.join();

    assertThat(bad).isEmpty();
    assertThat(listDir()).containsExactly("hosts");
  }

  @Test
  void concurrentInPlaceWritersLeaveExactlyOneCompleteBlock() throws Exception {
    Path file = Files.writeString(dir.resolve("hosts"), ORIGINAL, StandardCharsets.ISO_8859_1);
    Map<String, String> a = Map.of("payments", "127.255.0.7");
    Map<String, String> b = Map.of("payments", "127.255.1.7", "a-much-longer-alias-name.example", "127.255.1.9");
    HostsFile.Replacer busy = (t, target) -> {
      throw new FileSystemException(target.toString(), null, "Device or resource busy");
    };

    runConcurrently(200, i -> new HostsFile(file, busy).write(i % 2 == 0 ? a : b),
        i -> new HostsFile(file, busy).write(i % 2 == 0 ? b : a));

    String text = read(file);
    assertThat(text).startsWith(ORIGINAL);
    assertThat(count(text, HostsFile.BEGIN)).isEqualTo(1);
    assertThat(HostsText.entries(text)).isIn(a, b);
    assertThat(text).isEqualTo(ORIGINAL + HostsText.withBlock("", HostsText.entries(text)));
  }

  // ---- helpers ----

  private interface Step {
    void run(int i) throws IOException;
  }

  private static void runConcurrently(int iterations, Step first, Step second) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (Step step : List.of(first, second)) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < iterations; i++) {
            step.run(i);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
  }

  private List<String> listDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String readQuietly(Path file, ConcurrentLinkedQueue<String> bad) {
    try {
      return read(file);
    } catch (IOException e) {
      bad.add("read failed: " + e);
      return "";
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }

  private static int count(String text, String line) {
    return (int) HostsText.lines(text).stream().filter(l -> l.content().equals(line)).count();
  }
}
