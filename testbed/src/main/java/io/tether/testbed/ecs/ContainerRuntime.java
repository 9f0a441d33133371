package io.tether.testbed.ecs;

import io.tether.process.BoundChildren;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The emulated Docker engine: creates, starts, signals and removes containers. A container's process runs
 * <ul>
 *   <li>in its own network namespace on the bridge ({@code bridge}), alone with its loopback ({@code none}), or
 *       in the host's ({@code host}), entered with {@code ip netns exec}, which also mounts the container's (or
 *       the host's) {@code /etc/netns/NETNS/} files over {@code /etc};</li>
 *   <li>as PID 1 of a PID namespace of its own, with its own {@code /proc} and mounts ({@code unshare --pid
 *       --mount-proc}): as in Docker, PID 1 ignores SIGTERM unless it handles it, and every process of the
 *       container dies with it;</li>
 *   <li>with its bind mounts and, off the host network, its hostname set by a small shell before the exec.</li>
 * </ul>
 * The whole chain is bound to the stand-in's life ({@link BoundChildren}; {@code --kill-child} passes it on to
 * PID 1), so no container outlives the stand-in, even a SIGKILLed one.
 */
final class ContainerRuntime {
  /** Sets the hostname (unless "-") and the bind mounts ("SOURCE TARGET ro|rw" triples up to "--"), then execs. */
  private static final String SETUP = "h=$1; shift; if [ \"$h\" != - ]; then " + Commands.HOSTNAME + " \"$h\" || exit 125; fi; "
      + "while [ \"$1\" != -- ]; do " + Commands.MOUNT + " --bind \"$1\" \"$2\" || exit 125; "
      + "if [ \"$3\" = ro ]; then " + Commands.MOUNT + " -o remount,bind,ro \"$2\" || exit 125; fi; shift 3; done; "
      + "shift; exec \"$@\"";

  private final StandInOptions options;
  private final ContainerConfig config;
  private final ContainerFiles files;
  private final BridgeNetwork bridge;
  private final PortMapper ports;
  private final OutputPump output;

  ContainerRuntime(StandInOptions options, ContainerConfig config, ContainerFiles files, BridgeNetwork bridge,
      PortMapper ports, OutputPump output) {
    this.options = options;
    this.config = config;
    this.files = files;
    this.bridge = bridge;
    this.ports = ports;
    this.output = output;
  }

  /** {@code docker create}: fixes the container's argv, environment, labels and mounts; CREATED. */
  void create(EcsTask task, EcsContainer c) {
    String mode = task.def.networkMode();
    if (mode.equals("host") && !c.def.dnsServers().isEmpty()) {
      throw new IllegalStateException("CannotCreateContainerError: Error response from daemon: conflicting options: "
          + "dns and the network mode");
    }
    String dockerId = Ids.dockerId();
    String hostname = mode.equals("host") ? null : c.def.hostname() != null ? c.def.hostname() : dockerId.substring(0, 12);
    List<String> argv = c.image.argv(c.def.entryPoint(), c.def.command());
    List<ContainerConfig.Mount> mounts = config.mounts(task, c, dir(dockerId));
    String wd = ContainerConfig.workingDir(c);
    if (!Files.isDirectory(Path.of(wd))) {
      throw new IllegalStateException("CannotCreateContainerError: working directory " + wd + " does not exist");
    }
    Map<String, String> env = config.environment(c, hostname == null ? "" : hostname);
    synchronized (task) {
      c.dockerId = dockerId;
      c.hostname = hostname;
      c.argv = argv;
      c.mounts = mounts;
      c.env = env;
      c.labels = config.labels(task, c);
      c.createdAt = Instant.now();
      c.known = ContainerStatus.CREATED;
    }
  }

  /** {@code docker start}: its network, its published ports, its process; RUNNING. */
  void start(EcsTask task, EcsContainer c, IntConsumer onExit) {
    String mode = task.def.networkMode();
    String netns = options.hostNetns;
    if (mode.equals("bridge")) {
      BridgeNetwork.Attachment a = bridge.attach();
      remember(task, c, a.netns(), a.veth(), a.ip());
      files.writeBridge(a.netns(), a.ip(), c.hostname, c.def, links(task, c));
      List<EcsContainer.PortBinding> bound = ports.publish(c.def.portMappings(), a.ip());
      synchronized (task) {
        c.ports = bound;
      }
      netns = a.netns();
    } else if (mode.equals("none")) {
      netns = bridge.isolated();
      remember(task, c, netns, null, null);
      files.writeBridge(netns, null, c.hostname, c.def, List.of());
    }
    ProcessBuilder pb = new ProcessBuilder(command(c, netns, !mode.equals("host")))
        .directory(Path.of(ContainerConfig.workingDir(c)).toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(c.env);
    Process p = BoundChildren.shared().start(pb);
    output.follow(c.name(), p.getInputStream());
    long pid = pid1(p);
    synchronized (task) {
      c.process = p;
      c.pid = pid;
      c.startedAt = Instant.now();
      c.known = ContainerStatus.RUNNING;
    }
    p.onExit().thenAccept(done -> onExit.accept(done.exitValue()));
  }

  /** The hosts lines of {@code c}'s links: the linked containers run already (links are START dependencies). */
  private static List<String> links(EcsTask task, EcsContainer c) {
    List<String> lines = new ArrayList<>();
    synchronized (task) {
      for (String link : c.def.links()) {
        String[] parts = link.split(":");
        EcsContainer target = task.container(parts[0]);
        if (target != null && target.ip != null) {
          lines.add(target.ip + "\t" + (parts.length > 1 ? parts[1] : parts[0]) + " " + target.dockerId.substring(0, 12) + " "
              + target.dockerName);
        }
      }
    }
    return lines;
  }

  private static void remember(EcsTask task, EcsContainer c, String netns, String veth, String ip) {
    synchronized (task) {
      c.netns = netns;
      c.veth = veth;
      c.ip = ip;
    }
  }

  private static List<String> command(EcsContainer c, String netns, boolean ownUts) {
    List<String> command = new ArrayList<>(List.of(Commands.IP, "netns", "exec", netns, Commands.UNSHARE, "--mount"));
    if (ownUts) {
      command.add("--uts");
    }
    command.addAll(List.of("--pid", "--fork", "--kill-child", "--mount-proc", "--", Commands.SH, "-c", SETUP, "sh",
        c.hostname == null ? "-" : c.hostname));
    for (ContainerConfig.Mount m : c.mounts) {
      command.addAll(List.of(m.source().toString(), m.target(), m.readOnly() ? "ro" : "rw"));
    }
    command.add("--");
    command.addAll(c.argv);
    return command;
  }

  /** The container's PID 1: the child {@code unshare} forks (the process itself is unshare, waiting for it). */
  private static long pid1(Process p) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      var child = p.toHandle().children().findFirst();
      if (child.isPresent()) {
        return child.get().pid();
      }
      LockSupport.parkNanos(1_000_000); // a poll with a deadline: the fork takes a millisecond or two
    }
    return 0;
  }

  /** {@code docker stop}'s signals: SIGTERM to PID 1, or SIGKILL (which ends the whole PID namespace). */
  void signal(EcsContainer c, boolean kill) {
    ProcessHandle target = c.pid > 0 ? ProcessHandle.of(c.pid).orElse(null) : c.process == null ? null : c.process.toHandle();
    if (target != null) {
      if (kill) {
        target.destroyForcibly();
      } else {
        target.destroy();
      }
    }
  }

  /** After the container stopped: its port mappings, namespace and files go, as Docker removes the sandbox. */
  void tearDown(EcsContainer c) {
    if (!c.ports.isEmpty()) {
      ports.unpublish(c.ports, c.ip);
    }
    if (c.netns != null && !c.netns.equals(options.hostNetns)) {
      bridge.detach(c.netns, c.ip);
      ContainerFiles.removeDir(Path.of("/etc/netns", c.netns));
    }
    if (c.dockerId != null) {
      ContainerFiles.removeDir(dir(c.dockerId));
    }
  }

  private Path dir(String dockerId) {
    return options.workDir.resolve("containers").resolve(dockerId);
  }
}
