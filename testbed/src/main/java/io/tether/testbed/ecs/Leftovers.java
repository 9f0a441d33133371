package io.tether.testbed.ecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stand-in leaves when it is killed (SIGKILL: no shutdown hook runs), and its removal. Its containers
 * die with it (their processes are bound to it), but their network namespaces {@code tether-PID-ecsN} stay,
 * and so do its bridge, NAT chains and metadata address in the host's namespace. The next stand-in of the
 * host removes them when it starts, {@link EmulatedEcs#close} when it finds its stand-in dead, and {@link
 * io.tether.testbed.NetnsHosts} (same naming pattern) when the hosts go.
 *
 * <p>One stand-in serves a host at a time: {@code /run/tether-ecs/HOSTNETNS.pid} names it.
 */
final class Leftovers {
  private static final Pattern CONTAINER_NETNS = Pattern.compile("^tether-(\\d+)-ecs\\d+$");
  static final Path RUN_DIR = Path.of("/run/tether-ecs");

  private Leftovers() {}

  /** The pid of the live stand-in serving {@code hostNetns}, if there is one. */
  static Optional<Long> liveOwner(String hostNetns) {
    try {
      Path file = pidFile(hostNetns);
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(file).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Names this process the host's stand-in; forgets the pid files of stand-ins that are gone (of any host). */
  static void claim(String hostNetns) throws IOException {
    Files.createDirectories(RUN_DIR);
    try (var files = Files.list(RUN_DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
        String name = f.getFileName().toString();
        if (liveOwner(name.substring(0, name.length() - ".pid".length())).isEmpty()) {
          Files.deleteIfExists(f);
        }
      }
    }
    Files.writeString(pidFile(hostNetns), Long.toString(ProcessHandle.current().pid()));
  }

  static void release(String hostNetns) {
    try {
      Files.deleteIfExists(pidFile(hostNetns));
    } catch (IOException e) {
      System.err.println("cannot remove " + pidFile(hostNetns) + ": " + e);
    }
  }

  private static Path pidFile(String hostNetns) {
    return RUN_DIR.resolve(hostNetns + ".pid");
  }

  /** The containers' namespaces of stand-ins that are gone (run from any namespace: they are named globally). */
  static List<String> removeDeadContainerNamespaces() {
    List<String> removed = new ArrayList<>();
    Commands here = Commands.here();
    for (String line : here.attempt(Commands.IP, "netns", "list").output().split("\n")) {
      String name = line.split(" ")[0].trim();
      Matcher m = CONTAINER_NETNS.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        removeNamespace(here, name);
        removed.add(name);
      }
    }
    return removed;
  }

  /** Every container namespace of the stand-in {@code pid}. */
  static List<String> namespacesOf(long pid) {
    List<String> out = new ArrayList<>();
    for (String line : Commands.here().attempt(Commands.IP, "netns", "list").output().split("\n")) {
      String name = line.split(" ")[0].trim();
      if (name.startsWith("tether-" + pid + "-ecs")) {
        out.add(name);
      }
    }
    return out;
  }

  static void removeNamespace(Commands here, String name) {
    for (String pid : here.attempt(Commands.IP, "netns", "pids", name).output().split("\n")) {
      if (pid.trim().matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    here.attempt(Commands.IP, "netns", "del", name);
    ContainerFiles.removeDir(Path.of("/etc/netns", name));
  }

  /** The host-side objects of a stand-in, run in the host's namespace: NAT chains, bridge, veths, address. */
  static void clearHost(Commands inHost) {
    new Nat(inHost).tearDown();
    inHost.attempt(Commands.IP, "link", "del", BridgeNetwork.BRIDGE);
    for (String line : inHost.attempt(Commands.IP, "-o", "link", "show").output().split("\n")) {
      String[] words = line.split(":\\s+");
      if (words.length > 1 && words[1].startsWith(BridgeNetwork.VETH_PREFIX)) {
        inHost.attempt(Commands.IP, "link", "del", words[1].replaceAll("@.*", ""));
      }
    }
    inHost.attempt(Commands.IP, "addr", "del", TaskMetadataServer.ADDRESS + "/32", "dev", "lo");
  }
}
