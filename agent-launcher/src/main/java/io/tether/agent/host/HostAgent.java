package io.tether.agent.host;

import io.tether.agent.WorkDir;
import io.tether.agent.hosts.HostsFile;
import io.tether.agent.registry.RegistryClient;
import io.tether.agent.relay.AdsRelay;
import io.tether.agent.relay.RestRelay;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code tether agent host}: one per container instance, beside the ECS agent (docs/ecs.md "Host agent").
 * It starts, in order: the local route of the VIP range, the alias table (and the hosts file), the REST
 * and ADS relays for the task agents, the egress Envoy, the DNS server, and the clean-up of tasks ECS
 * no longer runs; then it runs until SIGTERM/SIGINT (exit 0) or until its Envoy cannot be kept up
 * (exit 1), and stops it all in reverse: relayed ADS streams end with UNAVAILABLE, so that their Envoys
 * reconnect to the next agent; the hosts block is removed; nothing it started outlives it (every
 * child is bound to it, see {@code BoundChildren}).
 *
 * <p>Thread confinement: {@link #run} (start, wait, stop) is the calling thread's; signal handlers
 * only queue an ending (and interrupt a start-up in progress); every part has threads of its own,
 * named in its class comment.
 */
public final class HostAgent {
  private static final Logger log = LoggerFactory.getLogger(HostAgent.class);
  /** The alias table reads often: one try per read, the next read is the retry. */
  private static final RegistryClient.Options NAMES_READS =
      new RegistryClient.Options(Duration.ofSeconds(2), 1, Duration.ofMillis(100), Duration.ofMillis(100));

  enum Ending { SIGNAL, ENVOY_GAVE_UP }

  private final HostSettings settings;
  private final LocalRoute route;
  private final NameServer.Factory nameServers;
  private final LinkedBlockingQueue<Ending> endings = new LinkedBlockingQueue<>();
  private final HostPorts ports = new HostPorts();
  private volatile Thread starting;
  private WorkDir workDir;
  private AliasTable names;
  private RestRelay rest;
  private AdsRelay ads;
  private EgressEnvoy envoy;
  private NameServer dns;
  private StaleTaskSweeper sweeper;

  public HostAgent(HostSettings settings) {
    this(settings, LocalRoute.onThisHost(), NameServers.aliasDns());
  }

  HostAgent(HostSettings settings, LocalRoute route, NameServer.Factory nameServers) {
    if (settings.controlPlane().xdsHost() == null) {
      throw new IllegalArgumentException("no xDS address: complete the settings with AdvertisedXdsOfHost first");
    }
    this.settings = settings;
    this.route = route;
    this.nameServers = nameServers;
  }

  /** SIGTERM and SIGINT stop the agent (exit 0), during start-up too. */
  public void handleSignals() {
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        log.info("SIG{} received: stopping", signal.getName());
        stop();
      });
    }
  }

  /** Ends {@link #run} as a signal does; from any thread. */
  void stop() {
    endings.add(Ending.SIGNAL);
    Thread t = starting;
    if (t != null) {
      t.interrupt(); // cut a start-up short (e.g. waiting for Envoy): nothing is relayed yet worth finishing
    }
  }

  /** Starts, runs until stopped, stops; returns the exit status. */
  public int run() {
    try {
      starting = Thread.currentThread();
      start();
      starting = null;
      Thread.interrupted(); // a stop() racing the end of start-up: its ending is queued
      Ending ending = awaitEnding();
      log.info("host agent stopping: {}", ending);
      return ending == Ending.SIGNAL ? 0 : 1;
    } catch (Exception e) {
      starting = null;
      if (endings.peek() == Ending.SIGNAL) {
        log.info("stopped during start-up");
        return 0;
      }
      log.error("host agent failed: {}", e.getMessage() == null ? e.toString() : e.getMessage());
      return 1;
    } finally {
      close();
      log.info("host agent stopped");
    }
  }

  private Ending awaitEnding() {
    try {
      return endings.take();
    } catch (InterruptedException e) {
      return Ending.SIGNAL; // only stop() interrupts this thread
    }
  }

  void start() throws Exception {
    HostSettings.ControlPlane cp = settings.controlPlane();
    route.ensure(settings.names().vipRange());
    workDir = WorkDir.open(settings.workDir(), "host");
    Path hostsPath = settings.names().hostsFile();
    names = AliasTable.start(new RegistryClient(cp.restApi(), cp.token(), NAMES_READS), settings.namespace(),
        settings.names().vipRange(), hostsPath == null ? null : HostsFile.rewrittenInPlace(hostsPath),
        settings.names().refresh());
    RegistryClient registry = new RegistryClient(cp.restApi(), cp.token());
    EndpointDeleter deleter = key -> registry.deregister(key.namespace(), key.service(), key.endpointId());
    HostSettings.Relay relay = settings.relay();
    rest = RestRelay.start(new RestRelay.Config(relay.listen(), relay.apiPort(), relay.allowedSources(), cp.restApi(),
        cp.serverCa(), cp.token(), hostInfo(), new HostPortGuard(ports, deleter)));
    ads = AdsRelay.start(new AdsRelay.Config(relay.listen(), relay.xdsPort(), relay.allowedSources(), cp.xdsHost(),
        cp.xdsPort(), cp.xdsCaFile(), cp.token()));
    envoy = EgressEnvoy.start(settings, workDir, () -> endings.add(Ending.ENVOY_GAVE_UP));
    if (settings.names().dns() != null) {
      InetSocketAddress listen = settings.names().dns();
      try {
        dns = nameServers.start(listen, settings.relay().allowedSources(), names);
      } catch (BindException e) {
        throw new IOException("cannot serve DNS on " + listen.getHostString() + ":" + listen.getPort() + " ("
            + e.getMessage() + "): free that port, give another in the config's dns, or set dns: none", e);
      }
    }
    sweeper = StaleTaskSweeper.start(new EcsIntrospection(settings.ecs().agent(), Duration.ofSeconds(2)), ports,
        deleter, settings.ecs().poll());
    log.info(summary());
  }

  private Supplier<byte[]> hostInfo() {
    HostSettings.Identity id = settings.identity();
    byte[] body = Json.write(new HostInfo(id.namespace(), id.address(), id.zone(), settings.relay().xdsPort()));
    return () -> body;
  }

  private String summary() {
    HostSettings.ControlPlane cp = settings.controlPlane();
    HostSettings.Names n = settings.names();
    return "host agent of namespace " + settings.namespace() + " at " + settings.identity().address()
        + (settings.identity().zone() == null ? "" : " (zone " + settings.identity().zone() + ")")
        + ": REST relay on " + text(rest.addresses()) + ", ADS relay on " + text(ads.addresses())
        + " (from " + settings.relay().allowedSources().describe() + ") to " + cp.restApi() + " and " + cp.xdsHost()
        + ":" + cp.xdsPort() + (cp.xdsCaFile() == null ? "" : " (TLS)") + "; egress envoy " + envoy.nodeId()
        + " serving aliases on " + n.vipRange() + " (admin 127.0.0.1:" + settings.egress().adminPort() + ")"
        + "; DNS " + (dns == null ? "off" : "on " + dns.address()) + "; hosts file "
        + (n.hostsFile() == null ? "off" : n.hostsFile().toString()) + "; ECS agent " + settings.ecs().agent();
  }

  private static String text(List<InetSocketAddress> addresses) {
    return String.join(", ", addresses.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList());
  }

  /** Stops whatever started, in reverse order; each step logs its failure and the next one runs. */
  void close() {
    boolean interrupted = Thread.interrupted(); // a stop() that cut start-up short must not cut the stopping short
    quietly("the clean-up of stopped tasks", sweeper);
    quietly("the DNS server", dns);
    quietly("the ADS relay", ads);
    quietly("the REST relay", rest);
    quietly("the egress envoy", envoy);
    quietly("the alias table", names);
    quietly("the work dir", workDir); // last: Envoy writes its log until it has quit
    sweeper = null;
    dns = null;
    ads = null;
    rest = null;
    envoy = null;
    names = null;
    workDir = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void quietly(String what, AutoCloseable part) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("could not stop {}: {}", what, e.toString());
    }
  }

  // ---- for tests ----

  List<InetSocketAddress> restAddresses() {
    return rest.addresses();
  }

  List<InetSocketAddress> adsAddresses() {
    return ads.addresses();
  }

  Map<String, String> names() {
    return names.get();
  }

  String envoyNodeId() {
    return envoy.nodeId();
  }

  long sweeps() {
    return sweeper.sweeps();
  }
}
