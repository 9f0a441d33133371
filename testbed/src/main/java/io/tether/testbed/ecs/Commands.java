package io.tether.testbed.ecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system tools the emulation is made of (iproute2, iptables, util-linux's nsenter and unshare), run to
 * their end. The stand-in runs them in its own network namespace (the test host's); the test side runs the
 * same commands through {@code nsenter --net} into a host's namespace, for the clean-up after a killed
 * stand-in. Tools are found by absolute path: the test JVM's PATH may lack {@code /usr/sbin}.
 */
final class Commands {
  static final String IP = find("ip");
  static final String IPTABLES = find("iptables");
  static final String NSENTER = find("nsenter");
  static final String UNSHARE = find("unshare");
  static final String SH = find("sh");
  static final String BASH = find("bash");
  static final String MOUNT = find("mount");
  static final String HOSTNAME = find("hostname");
  static final String TIMEOUT = find("timeout");

  /** A command's exit code and its output (stdout and stderr together). */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  private final List<String> prefix;

  private Commands(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /** Commands run in this process's own namespaces. */
  static Commands here() {
    return new Commands(List.of());
  }

  /** Commands run in the network namespace {@code netns} (mounts: this process's). */
  static Commands inNetns(String netns) {
    return new Commands(List.of(NSENTER, "--net=/run/netns/" + netns, "--"));
  }

  /** Which of the tools is missing, if any. */
  static Optional<String> missingTool() {
    String[][] tools = {{"ip", IP, "iproute2"}, {"iptables", IPTABLES, "iptables"}, {"nsenter", NSENTER, "util-linux"},
        {"unshare", UNSHARE, "util-linux"}, {"sh", SH, "dash"}, {"bash", BASH, "bash"}, {"mount", MOUNT, "mount"},
        {"hostname", HOSTNAME, "hostname"}, {"timeout", TIMEOUT, "coreutils"}};
    for (String[] t : tools) {
      if (t[1] == null) {
        return Optional.of("'" + t[0] + "' is not installed (apt-get install " + t[2] + ")");
      }
    }
    return Optional.empty();
  }

  /** Runs {@code argv}; its output, or an exception naming the command when it fails. */
  String run(String... argv) {
    Result r = result(argv);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + " exited " + r.code() + ": " + r.output().trim());
    }
    return r.output();
  }

  /** Runs {@code argv} for its effect when it can have one (a clean-up of what may be gone already). */
  Result attempt(String... argv) {
    return result(argv);
  }

  /** Runs {@code argv} to its end, 10 s at most. */
  Result result(String... argv) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(Arrays.asList(argv));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] output = p.getInputStream().readAllBytes(); // ends when the command does
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + ": did not finish in 10 s");
      }
      return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  private static String find(String tool) {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
