package io.tether.main;

import io.tether.client.cli.CliConfig;
import io.tether.registry.api.ApiTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a first start with a generated admin token, the CLI's context {@code local} pointing at this
 * server, so that {@code tether ns list} works from any directory (docs/cli.md "Contexts"). Written
 * only when there is no CLI config file yet: an operator's own file is never changed.
 */
final class LocalContext {
  private static final Logger log = LoggerFactory.getLogger(LocalContext.class);

  private LocalContext() {}

  /**
   * {@code apiTls} (null: plain HTTP) decides the scheme; its {@code --api-peer-ca}, when given, is the
   * context's {@code serverCa} (the CA of the replicas' API certificates verifies this one's too).
   */
  static void writeIfNoConfig(String apiHost, int apiPort, java.nio.file.Path tokenFile, ApiTls apiTls) {
    try {
      CliConfig config = CliConfig.load();
      if (config.exists()) {
        return;
      }
      String host = apiHost.equals("0.0.0.0") || apiHost.equals("::") || apiHost.isEmpty() ? "127.0.0.1"
          : apiHost.contains(":") ? "[" + apiHost + "]" : apiHost;
      String scheme = apiTls == null ? "http" : "https";
      String serverCa = apiTls == null || apiTls.peerCa() == null ? null
          : apiTls.peerCa().toAbsolutePath().normalize().toString();
      config.put("local", new CliConfig.Context(scheme + "://" + host + ":" + apiPort, null,
          tokenFile.toAbsolutePath().normalize().toString(), null, serverCa));
      config.use("local");
      config.save();
      log.info("wrote the CLI context 'local' (this server, its admin token) to {} and made it current", config.file());
    } catch (IllegalArgumentException e) {
      log.warn("could not write the CLI context 'local': {}", e.getMessage());
    }
  }
}
