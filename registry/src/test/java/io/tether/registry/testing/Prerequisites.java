package io.tether.registry.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine, found or failed: a missing prerequisite fails the test unless
 * its explicit opt-out is set, and only then is the test skipped, saying so. {@code ./tether test}
 * installs Envoy and runs as root, so in the README's test command nothing is skipped.
 */
public final class Prerequisites {
  public static final String WITHOUT_ENVOY = "TETHER_TESTS_WITHOUT_ENVOY";
  public static final String WITHOUT_TEST_HOSTS = "TETHER_TESTS_WITHOUT_NETNS";
  public static final String WITHOUT_DEFAULT_ROUTE = "TETHER_TESTS_WITHOUT_DEFAULT_ROUTE";
  public static final String WITHOUT_BROWSER = "TETHER_TESTS_WITHOUT_BROWSER";
  public static final String WITHOUT_SCHEMATHESIS = "TETHER_TESTS_WITHOUT_SCHEMATHESIS";

  private Prerequisites() {}

  /** The real Envoy binary ({@code $ENVOY_BIN}). */
  public static Path envoy() {
    return executable("ENVOY_BIN", "a real Envoy binary", WITHOUT_ENVOY,
        "run the tests with ./tether test, which installs Envoy");
  }

  /** The Schemathesis CLI ({@code $SCHEMATHESIS_BIN}, which {@code ./tether test} installs and sets). */
  public static Path schemathesis() {
    return executable("SCHEMATHESIS_BIN", "the schemathesis CLI", WITHOUT_SCHEMATHESIS,
        "run the tests with ./tether test, which installs it");
  }

  /** The executable file that environment variable {@code variable} names. */
  private static Path executable(String variable, String what, String optOut, String fix) {
    String bin = System.getenv(variable);
    if (bin != null && !bin.isBlank() && Files.isExecutable(Path.of(bin))) {
      return Path.of(bin);
    }
    missing(optOut, bin == null || bin.isBlank() ? variable + " is not set to " + what
        : variable + "=" + bin + " is not an executable file", fix);
    return null; // not reached
  }

  /** Debian's Chromium ({@code $CHROMIUM_BIN}, else /usr/bin/chromium), for the console's browser test. */
  public static Path chromium() {
    String bin = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(bin))) {
      missing(WITHOUT_BROWSER, bin + " is not an executable Chromium", "run the tests with ./tether test, which "
          + "installs Debian's chromium");
    }
    return Path.of(bin);
  }

  /** A program on the PATH, e.g. node for the console's browser test, which is skipped with it. */
  public static Path onPath(String program, String optOut, String fix) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    missing(optOut, program + " is not on the PATH", fix);
    return null; // not reached
  }

  /** Test hosts in network namespaces; {@code unavailable} says why they cannot be made here. */
  public static void testHosts(Optional<String> unavailable) {
    unavailable.ifPresent(why -> missing(WITHOUT_TEST_HOSTS, "test hosts cannot be made: " + why,
        "run the tests as root on Linux with iproute2"));
  }

  /** An IPv4 default route on this host; {@code route} is what {@code ip -4 route show default} printed. */
  public static void defaultRoute(String route) {
    if (!route.contains(" dev ")) {
      missing(WITHOUT_DEFAULT_ROUTE, "this host has no IPv4 default route", "run the tests on a host with one");
    }
  }

  private static void missing(String optOut, String what, String fix) {
    String value = System.getenv(optOut);
    if (value != null && !value.isBlank() && !value.equals("0")) {
      Assumptions.abort("SKIPPED (" + optOut + " is set): " + what);
    }
    throw new AssertionError(what + "; " + fix + ", or set " + optOut + "=1 to skip such tests");
  }
}
