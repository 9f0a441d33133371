package io.tether.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts on this machine, for the conformance tests and {@code ./tether demo}: one network namespace per host, each joined to the root namespace by a
 * veth pair of its own (no bridge, nothing beyond iproute2). Host {@code i} gets the /30
 * {@code 10.250.K.4i/30}: the root side is {@code .4i+1}, the host {@code .4i+2}, with {@code K} chosen
 * so that no address of this machine is in {@code 10.250.K.0/24}. Each host routes only
 * {@code 10.250.K.0/24}, through its root-side peer, and forwarding is switched on for these veths only
 * (not {@code net.ipv4.ip_forward}), so hosts reach each other and the root namespace's side addresses,
 * and nothing else. Namespaces are named {@code tether-PID-NAME} and veths {@code tthPIDNAME} after the
 * creating JVM, so that parallel runs do not clash and a later run removes what a killed one left.
 * {@link #close} (also run by a shutdown hook) kills the processes left in the namespaces, by pid, and
 * deletes the veths, the namespaces and their {@code /etc/netns/NAME} files, then every namespace of that
 * pattern whose process is gone (those of a stand-in killed with its host, {@code ecs.EmulatedEcs}).
 */
public final class NetnsHosts implements AutoCloseable {
  private static final Pattern OURS = Pattern.compile("^tether-(\\d+)-([a-z0-9]+)$");
  private static final String IP = ip();

  /** One test host: its namespace, the root side of its veth, and its own address. */
  public record Host(String name, String netns, String veth, String rootAddress, String address) {}

  private final long pid = ProcessHandle.current().pid();
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::cleanUp, "netns-cleanup");
  public final int subnet;

  /** Why test hosts cannot be made here (not root, no iproute2, namespaces refused), or empty when they can. */
  public static Optional<String> unavailable() {
    String uid = run(List.of("id", "-u"), false).trim();
    if (!uid.equals("0")) {
      return Optional.of("creating network namespaces needs root, and these tests run as uid " + uid);
    }
    if (IP == null) {
      return Optional.of("iproute2's 'ip' is not installed (apt-get install iproute2)");
    }
    String probe = "tether-" + ProcessHandle.current().pid() + "-probe";
    try {
      run(List.of(IP, "netns", "add", probe), true);
      run(List.of(IP, "netns", "del", probe), true);
      return Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.of("network namespaces cannot be created here: " + e.getMessage());
    }
  }

  /** Creates the hosts, named e.g. {@code h1}, {@code c} (lower-case letters and digits, at most 4). */
  public NetnsHosts(List<String> names) {
    removeLeftovers();
    Runtime.getRuntime().addShutdownHook(hook);
    this.subnet = freeSubnet();
    try {
      int i = 0;
      for (String name : names) {
        if (!name.matches("[a-z0-9]{1,4}")) {
          throw new IllegalArgumentException("host name: " + name);
        }
        String prefix = "10.250." + subnet + ".";
        Host h = new Host(name, "tether-" + pid + "-" + name, "tth" + pid + name,
            prefix + (4 * i + 1), prefix + (4 * i + 2));
        hosts.put(name, h);
        create(h);
        i++;
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public Host host(String name) {
    return hosts.get(name);
  }

  /** {@code command} run inside {@code host}'s namespace ({@code ip netns exec} execs it: same pid). */
  public List<String> exec(Host host, List<String> command) {
    List<String> all = new ArrayList<>(List.of(IP, "netns", "exec", host.netns()));
    all.addAll(command);
    return all;
  }

  /** The processes in {@code host}'s namespace. */
  public List<Long> pids(Host host) {
    return pids(host.netns());
  }

  /**
   * Cuts {@code host} off the network, as a host that loses power or its link does: its route to the others
   * goes, so nothing it sends (answers included) leaves it, and what is sent to it gets no answer.
   */
  public void cut(Host host) {
    run(List.of(IP, "-n", host.netns(), "route", "del", "10.250." + subnet + ".0/24"), true);
  }

  /** Puts {@code host} back on the network. */
  public void heal(Host host) {
    run(List.of(IP, "-n", host.netns(), "route", "add", "10.250." + subnet + ".0/24", "via", host.rootAddress()), true);
  }

  private void create(Host h) {
    run(List.of(IP, "netns", "add", h.netns()), true);
    run(List.of(IP, "link", "add", h.veth(), "type", "veth", "peer", "name", "eth0", "netns", h.netns()), true);
    run(List.of(IP, "addr", "add", h.rootAddress() + "/30", "dev", h.veth()), true);
    run(List.of(IP, "link", "set", h.veth(), "up"), true);
    write(Path.of("/proc/sys/net/ipv4/conf", h.veth(), "forwarding"), "1");
    run(List.of(IP, "-n", h.netns(), "link", "set", "lo", "up"), true);
    run(List.of(IP, "-n", h.netns(), "addr", "add", h.address() + "/30", "dev", "eth0"), true);
    run(List.of(IP, "-n", h.netns(), "link", "set", "eth0", "up"), true);
    run(List.of(IP, "-n", h.netns(), "route", "add", "10.250." + subnet + ".0/24", "via", h.rootAddress()), true);
  }

  /** A /24 of 10.250.0.0/16 with no address of this machine in it (tried from one derived from the pid). */
  private int freeSubnet() {
    String addresses = run(List.of(IP, "-o", "-4", "addr"), true) + run(List.of(IP, "-o", "-4", "route"), true);
    for (int n = 0; n < 256; n++) {
      int k = (int) ((pid + n) % 256);
      if (!addresses.contains("10.250." + k + ".")) {
        return k;
      }
    }
    throw new IllegalStateException("no free /24 in 10.250.0.0/16");
  }

  /** Namespaces (and their veths and processes) left by test JVMs that are gone. */
  private static void removeLeftovers() {
    for (String line : run(List.of(IP, "netns", "list"), true).split("\n")) {
      String name = line.split(" ")[0].trim();
      Matcher m = OURS.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        remove(name, "tth" + m.group(1) + m.group(2));
      }
    }
  }

  private static void remove(String netns, String veth) {
    for (long p : pids(netns)) {
      ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (long p : pids(netns)) {
      ProcessHandle.of(p).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> h).join());
    }
    if (Files.exists(Path.of("/sys/class/net", veth))) {
      run(List.of(IP, "link", "del", veth), false); // synchronous, unlike the namespace's own clean-up
    }
    run(List.of(IP, "netns", "del", netns), false);
    removeEtcFiles(netns);
  }

  /** {@code /etc/netns/NAME}: files a user of a host put there for {@code ip netns exec} to mount over /etc. */
  private static void removeEtcFiles(String netns) {
    Path etc = Path.of("/etc/netns", netns);
    if (Files.isDirectory(etc)) {
      try (var files = Files.walk(etc)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        System.err.println("cannot remove " + etc + ": " + e);
      }
    }
  }

  private static List<Long> pids(String netns) {
    List<Long> pids = new ArrayList<>();
    for (String line : run(List.of(IP, "netns", "pids", netns), false).split("\n")) {
      if (line.trim().matches("\\d+")) {
        pids.add(Long.parseLong(line.trim()));
      }
    }
    return pids;
  }

  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down already
    }
  }

  private void cleanUp() {
    if (closed.compareAndSet(false, true)) {
      hosts.values().forEach(h -> remove(h.netns(), h.veth()));
      // Namespaces named after processes of the hosts, now gone: e.g. an emulated ECS instance's containers.
      removeLeftovers();
    }
  }

  private static String ip() {
    for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  private static void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to its end (10 s at most); its output, or, when {@code check}, an exception if it failed. */
  static String run(List<String> command, boolean check) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] output = p.getInputStream().readAllBytes(); // ends when the command does
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": did not finish");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (check && p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.trim());
      }
      return text;
    } catch (IOException e) {
      if (check) {
        throw new UncheckedIOException(e);
      }
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
