package io.tether.server;

import io.tether.registry.RegistryServer;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.store.KeyLayout;
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
 * {@code tether server}: the registry API (and, with the xDS issue, the xDS server) in one process.
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
    RegistryServer registry = new RegistryServer(new RegistryServer.Config(endpoints, prefix, apiHost, apiPort,
        tokens, Duration.ofSeconds(5), RegistryApi.DEFAULT_BODY_LIMIT)).start();
    log.info("Tether registry API listening on http://{}:{} (etcd {})", apiHost, registry.apiPort(), endpoints);

    CountDownLatch stopped = new CountDownLatch(1);
    LocalEtcd ownedEtcd = localEtcd;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      registry.close();
      if (ownedEtcd != null) {
        ownedEtcd.close();
      }
      stopped.countDown();
    }, "tether-shutdown"));
    stopped.await();
    return 0;
  }
}
