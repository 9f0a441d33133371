package io.tether.testbed.ecs;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * "The ECS agent and Docker" of one test host: run in the host's network namespace (by {@link EmulatedEcs},
 * bound to the test JVM's life), it serves the introspection API, the task metadata endpoint and the test's
 * control API, and runs the tasks it is given as containers of local commands. On exit (a shutdown request,
 * SIGTERM) it kills its containers and removes its namespaces, NAT rules, bridge and address; after a SIGKILL
 * the next stand-in of the host, or the test, removes them ({@link Leftovers}).
 */
@Command(name = "ecs-agent-stand-in", mixinStandardHelpOptions = true,
    description = "An emulated ECS container instance (ECS agent + Docker) in this network namespace.")
public final class EcsAgentStandIn implements Callable<Integer> {
  @Mixin
  StandInOptions options = new StandInOptions();

  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<AutoCloseable> servers = new ArrayList<>();
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "task-cleanup");
    t.setDaemon(true);
    return t;
  });
  private volatile ContainerInstance instance;
  private volatile BridgeNetwork bridge;
  private volatile boolean claimed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new EcsAgentStandIn()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Optional<Long> owner = Leftovers.liveOwner(options.hostNetns);
    if (owner.isPresent() && owner.get() != ProcessHandle.current().pid()) {
      System.err.println("another stand-in (pid " + owner.get() + ") serves " + options.hostNetns);
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutDown, "stand-in-shutdown"));
    try {
      start();
    } catch (RuntimeException | IOException e) {
      System.err.println("the stand-in cannot start: " + e);
      shutDown();
      return 1;
    }
    done.await();
    return 0;
  }

  private void start() throws IOException {
    OutputPump log = new OutputPump(System.out);
    List<String> removed = Leftovers.removeDeadContainerNamespaces();
    Leftovers.clearHost(Commands.here());
    if (!removed.isEmpty()) {
      log.note("removed what killed stand-ins left: " + removed);
    }
    Leftovers.claim(options.hostNetns);
    claimed = true;
    ImageTable images = ImageTable.load(options.images, GoJson.MAPPER);
    Map<String, String> secrets = options.secrets == null ? Map.of()
        : GoJson.MAPPER.readValue(options.secrets.toFile(), new TypeReference<Map<String, String>>() {});
    Files.createDirectories(options.workDir);
    Nat nat = new Nat(Commands.here());
    bridge = new BridgeNetwork(Commands.here(), nat, ProcessHandle.current().pid());
    bridge.setUp();
    Commands.here().run(Commands.IP, "addr", "add", TaskMetadataServer.ADDRESS + "/32", "dev", "lo");
    instance = new ContainerInstance(options, images, secrets, bridge, new PortMapper(nat), log);
    servers.add(new IntrospectionServer(options.introspectionPort, instance.tasks(), options.cluster,
        instance.containerInstanceArn));
    servers.add(new TaskMetadataServer(instance.tasks(), new TaskMetadataJson.Instance(options.cluster,
        options.availabilityZone)));
    servers.add(new ControlServer(options.hostAddress, options.controlPort, instance, this::shutDown));
    sweeper.scheduleWithFixedDelay(instance::sweep, 1, 1, TimeUnit.SECONDS);
    log.note("ready: " + options.hostNetns + " (" + options.hostAddress + "), cluster " + options.cluster + ", "
        + instance.containerInstanceArn);
  }

  /** Kills every container and removes what the stand-in made, once; then lets {@link #call} return. */
  private void shutDown() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    try {
      sweeper.shutdownNow();
      if (instance != null) {
        instance.killEverything();
      }
      for (AutoCloseable s : servers) {
        s.close();
      }
      Leftovers.removeDeadContainerNamespaces(); // none should be left; a failed teardown must not leak one
      Leftovers.namespacesOf(ProcessHandle.current().pid()).forEach(n -> Leftovers.removeNamespace(Commands.here(), n));
      if (bridge != null || claimed) {
        Leftovers.clearHost(Commands.here());
      }
    } catch (Exception e) {
      System.err.println("stand-in shutdown: " + e);
    } finally {
      if (claimed) {
        Leftovers.release(options.hostNetns);
      }
      System.out.flush();
      done.countDown();
    }
  }
}
