package io.tether.main;

import io.tether.registry.RegistryServer;
import io.tether.registry.api.ApiTls;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.etcd.LocalEtcdPorts;
import io.tether.registry.etcd.LocalEtcdSupervisor;
import io.tether.process.PortOwner;
import io.tether.registry.store.KeyLayout;
import io.tether.xds.identity.CaOptions;
import io.tether.client.cli.ServerUrl;
import io.tether.xds.server.XdsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether server}: the registry API and the xDS server in one process.
 * Without {@code --etcd} it runs a local etcd as a child process and stops it on exit.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the Tether control plane.")
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--etcd", split = ",", paramLabel = "URL",
      description = "etcd endpoints, comma separated; without it a local etcd is started")
  List<String> etcd;

  @Option(names = "--data-dir", defaultValue = ".tether", description = "State directory (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--api-host", defaultValue = "0.0.0.0", description = "REST API bind address (default: ${DEFAULT-VALUE})")
  String apiHost;

  @Option(names = "--api-port", defaultValue = "8700", description = "REST API port (default: ${DEFAULT-VALUE})")
  int apiPort;

  @Option(names = "--xds-port", defaultValue = "18000", description = "xDS (ADS) port (default: ${DEFAULT-VALUE})")
  int xdsPort;

  @Option(names = "--tokens-file", paramLabel = "FILE",
      description = "A JSON file of bearer tokens with their roles (README, \"Tokens\"); without it an admin token is generated")
  Path tokensFile;

  /** The old name of --tokens-file, from before --token-file meant one token everywhere else (docs/cli.md). */
  @Option(names = "--token-file", paramLabel = "FILE", hidden = true, description = "Deprecated: the old name of --tokens-file")
  Path deprecatedTokenFile;

  @Option(names = "--xds-host", defaultValue = "0.0.0.0", description = "xDS bind address (default: ${DEFAULT-VALUE})")
  String xdsHost;

  @Option(names = "--xds-tls-cert", paramLabel = "PEM", description = "Serve xDS over TLS with this certificate chain")
  Path xdsTlsCert;

  @Option(names = "--xds-tls-key", paramLabel = "PEM", description = "The private key of --xds-tls-cert")
  Path xdsTlsKey;

  @Option(names = "--xds-client-ca", paramLabel = "PEM", description = "Require client certificates signed by this CA (mTLS)")
  Path xdsClientCa;

  @Option(names = "--xds-advertise", paramLabel = "HOST:PORT",
      description = {"The xDS address agents are told by GET /v1/xds,%n  for example tether.internal:18000 "
          + "(default: the host a request reached the API by, and --xds-port)"})
  String xdsAdvertise;

  @Option(names = "--replica-id", description = "This replica's name in /v1/proxies (default: host name and xDS port)")
  String replicaId;

  // %n: picocli breaks lines after '.' and ':', which split URLs ("http: //API-HOST"); each starts a line.
  @Option(names = "--advertise-api", paramLabel = "URL", description = "The URL other replicas reach this one's "
      + "REST API at,%n  for example http://10.0.0.5:8700;%n  default http://API-HOST:API-PORT, with the first "
      + "non-loopback address when the API binds every address")
  String advertiseApi;

  @Option(names = "--etcd-prefix", defaultValue = KeyLayout.DEFAULT_PREFIX, description = "Key prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--local-etcd-port", paramLabel = "PORT",
      description = "Client port of the local etcd (default: 12379 if free, else a free port; kept in DIR/etcd/ports)")
  Integer localEtcdPort;

  @Option(names = "--local-etcd-peer-port", paramLabel = "PORT",
      description = "Peer port of the local etcd (default: 12380 if free, else a free port; kept in DIR/etcd/ports)")
  Integer localEtcdPeerPort;

  @Option(names = "--api-header-timeout", paramLabel = "S", defaultValue = "10",
      description = "Seconds from a connection's accept to its first request's complete headers (default: ${DEFAULT-VALUE})")
  int apiHeaderTimeout;

  @Option(names = "--api-body-timeout", paramLabel = "S", defaultValue = "30",
      description = "Seconds from a request's headers to its complete body (default: ${DEFAULT-VALUE})")
  int apiBodyTimeout;

  @Option(names = "--api-idle-timeout", paramLabel = "S", defaultValue = "60",
      description = "Seconds a kept-alive API connection may wait for its next request (default: ${DEFAULT-VALUE})")
  int apiIdleTimeout;

  @Option(names = "--api-max-connections", paramLabel = "N", defaultValue = "4096",
      description = "Open API connections at once; more are closed on accept (default: ${DEFAULT-VALUE})")
  int apiMaxConnections;

  @picocli.CommandLine.Mixin
  ServerCaOptions ca;

  @picocli.CommandLine.Mixin
  ApiTlsOptions apiTlsOptions;

  @Option(names = "--shutdown-grace", paramLabel = "S", defaultValue = "10",
      description = "On SIGTERM, seconds in-flight API requests may take to finish (default: ${DEFAULT-VALUE})")
  int shutdownGrace;

  @Override
  public Integer call() throws InterruptedException {
    if ((xdsTlsCert == null) != (xdsTlsKey == null) || (xdsClientCa != null && xdsTlsCert == null)) {
      throw usage("--xds-tls-cert and --xds-tls-key go together, and --xds-client-ca needs them");
    }
    ApiTls apiTls = checked(apiTlsOptions::apiTls);
    String advertiseProblem = advertiseApi == null ? null : AdvertisedApi.problem(advertiseApi);
    if (advertiseProblem != null) {
      throw usage(advertiseProblem);
    }
    HttpLimits limits = httpLimits();
    if (xdsAdvertise != null) {
      try {
        ServerUrl.requireHostPort("--xds-advertise", xdsAdvertise);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    Path tokenFile = tokensFile();
    CaOptions caOptions = checked(() -> ca.options(etcd == null || etcd.isEmpty(), dataDir));
    requireFree("REST API", apiHost, apiPort);
    requireFree("xDS", xdsHost, xdsPort);
    boolean generatesToken = tokenFile == null && !java.nio.file.Files.exists(dataDir.resolve("admin.token"));
    TokenAuthenticator tokens = tokenFile != null ? TokenAuthenticator.fromFile(tokenFile) : AdminToken.loadOrCreate(dataDir);
    boolean local = etcd == null || etcd.isEmpty();
    DataDirLock lock = local ? DataDirLock.acquire(dataDir) : null;
    LocalEtcdSupervisor localEtcd = local ? startLocalEtcd() : null;
    List<String> endpoints = local ? List.of(localEtcd.clientUrl()) : etcd;
    TetherServer server = new TetherServer(
        new RegistryServer.Config(endpoints, prefix, apiHost, apiPort, tokens, Duration.ofSeconds(5), limits, apiTls),
        new XdsServer.Config(xdsHost, xdsPort, tokens, xdsTlsCert, xdsTlsKey, xdsClientCa),
        replicaId != null ? replicaId : hostName() + ":" + xdsPort, advertiseApi).advertiseXds(xdsAdvertise)
        .ca(caOptions);

    // The hook is in place before the API listens: a SIGTERM as soon as it answers still stops it cleanly.
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      awaitQuietly(started);
      log.info("shutting down: finishing in-flight requests for up to {} s", shutdownGrace);
      server.close();
      if (localEtcd != null) {
        localEtcd.close();
      }
      if (lock != null) {
        lock.close();
      }
      stopped.countDown();
    }, "tether-shutdown"));
    try {
      server.start();
    } finally {
      started.countDown();
    }
    String scheme = apiTls == null ? "http" : "https";
    log.info("Tether registry API on {}://{}:{}, xDS (ADS) on {}:{}{} (etcd {})", scheme, apiHost,
        server.registry().apiPort(), xdsHost, server.xds().port(), xdsTlsCert == null ? "" : " with TLS", endpoints);
    log.info("web console on {}://{}:{}/ui/ (sign in with a token; docs/console.md)", scheme, apiHost,
        server.registry().apiPort());
    if (generatesToken) {
      LocalContext.writeIfNoConfig(apiHost, server.registry().apiPort(), dataDir.resolve("admin.token"), apiTls);
    }
    stopped.await();
    return 0;
  }

  /** Waits, at most a minute, for a start that a signal interrupted to finish, so that close sees what it started. */
  private static void awaitQuietly(CountDownLatch started) {
    try {
      started.await(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the local etcd under supervision; if it cannot be kept up, the server exits with status 1. */
  private LocalEtcdSupervisor startLocalEtcd() {
    Path etcdDir = dataDir.resolve("etcd");
    LocalEtcdPorts ports = LocalEtcdPorts.forDataDir(etcdDir, localEtcdPort, localEtcdPeerPort);
    // stopped by the shutdown hook, after the server's last call to it
    LocalEtcd member = LocalEtcd.single(etcdDir, ports.client(), ports.peer()).stoppedByCaller();
    LocalEtcdSupervisor supervisor = new LocalEtcdSupervisor(member, Duration.ofMillis(500), Duration.ofSeconds(30), 5,
        cause -> {
          log.error("{}; exiting so that a process supervisor can restart the server", cause);
          System.exit(1);
        }).start(Duration.ofSeconds(30));
    log.info("started local etcd at {} (data in {}, supervised)", member.clientUrl(), etcdDir);
    return supervisor;
  }

  private static void requireFree(String what, String host, int port) {
    if (port != 0 && !PortOwner.isFree(host, port)) {
      throw new StartupException("the " + what + " port " + host + ":" + port + " is " + PortOwner.describe(port)
          + "; stop it or choose another port");
    }
  }

  private HttpLimits httpLimits() {
    try {
      return new HttpLimits(Duration.ofSeconds(apiHeaderTimeout), Duration.ofSeconds(apiBodyTimeout),
          Duration.ofSeconds(apiIdleTimeout), apiMaxConnections, HttpLimits.DEFAULT_BODY_LIMIT,
          Duration.ofSeconds(shutdownGrace));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** What {@code options} answers, its IllegalArgumentException a usage error. */
  private <T> T checked(java.util.function.Supplier<T> options) {
    try {
      return options.get();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** --tokens-file, or its deprecated old name with one warning line; both at once is a usage error. */
  private Path tokensFile() {
    if (deprecatedTokenFile == null) {
      return tokensFile;
    }
    if (tokensFile != null) {
      throw usage("--token-file is the old name of --tokens-file: give one of them");
    }
    log.warn("--token-file is deprecated on tether server: it is now --tokens-file (a file of many tokens; "
        + "--token-file means one token in every other command)");
    return deprecatedTokenFile;
  }

  /** A usage error (exit 2) reported on this command's own command line, so its streams and name are the caller's. */
  private picocli.CommandLine.ParameterException usage(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
