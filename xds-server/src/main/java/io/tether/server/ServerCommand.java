package io.tether.server;

import io.tether.registry.RegistryServer;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.store.KeyLayout;
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

  @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer tokens (JSON); without it an admin token is generated")
  Path tokenFile;

  @Option(names = "--xds-host", defaultValue = "0.0.0.0", description = "xDS bind address (default: ${DEFAULT-VALUE})")
  String xdsHost;

  @Option(names = "--xds-tls-cert", paramLabel = "PEM", description = "Serve xDS over TLS with this certificate chain")
  Path xdsTlsCert;

  @Option(names = "--xds-tls-key", paramLabel = "PEM", description = "The private key of --xds-tls-cert")
  Path xdsTlsKey;

  @Option(names = "--xds-client-ca", paramLabel = "PEM", description = "Require client certificates signed by this CA (mTLS)")
  Path xdsClientCa;

  @Option(names = "--replica-id", description = "This replica's name in /v1/proxies (default: host name and xDS port)")
  String replicaId;

  @Option(names = "--etcd-prefix", defaultValue = KeyLayout.DEFAULT_PREFIX, description = "Key prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--local-etcd-port", defaultValue = "12379", description = "Client port of the local etcd (default: ${DEFAULT-VALUE})")
  int localEtcdPort;

  @Option(names = "--local-etcd-peer-port", defaultValue = "12380", description = "Peer port of the local etcd (default: ${DEFAULT-VALUE})")
  int localEtcdPeerPort;

  @Override
  public Integer call() throws InterruptedException {
    TokenAuthenticator tokens = tokenFile != null ? TokenAuthenticator.fromFile(tokenFile) : AdminToken.loadOrCreate(dataDir);
    LocalEtcd localEtcd = null;
    List<String> endpoints = etcd;
    if (endpoints == null || endpoints.isEmpty()) {
      localEtcd = LocalEtcd.single(dataDir.resolve("etcd"), localEtcdPort, localEtcdPeerPort).start()
          .awaitHealthy(Duration.ofSeconds(30));
      endpoints = List.of(localEtcd.clientUrl());
      log.info("started local etcd at {} (data in {})", localEtcd.clientUrl(), dataDir.resolve("etcd"));
    }
    if ((xdsTlsCert == null) != (xdsTlsKey == null) || (xdsClientCa != null && xdsTlsCert == null)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--xds-tls-cert and --xds-tls-key go together, and --xds-client-ca needs them");
    }
    TetherServer server = new TetherServer(
        new RegistryServer.Config(endpoints, prefix, apiHost, apiPort, tokens, Duration.ofSeconds(5),
            RegistryApi.DEFAULT_BODY_LIMIT),
        new XdsServer.Config(xdsHost, xdsPort, tokens, xdsTlsCert, xdsTlsKey, xdsClientCa),
        replicaId != null ? replicaId : hostName() + ":" + xdsPort).start();
    log.info("Tether registry API on http://{}:{}, xDS (ADS) on {}:{}{} (etcd {})", apiHost,
        server.registry().apiPort(), xdsHost, server.xds().port(), xdsTlsCert == null ? "" : " with TLS", endpoints);

    CountDownLatch stopped = new CountDownLatch(1);
    LocalEtcd ownedEtcd = localEtcd;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      server.close();
      if (ownedEtcd != null) {
        ownedEtcd.close();
      }
      stopped.countDown();
    }, "tether-shutdown"));
    stopped.await();
    return 0;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
