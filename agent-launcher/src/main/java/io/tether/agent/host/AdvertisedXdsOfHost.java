package io.tether.agent.host;

import com.google.common.net.HostAndPort;
import io.tether.agent.registry.AdvertisedXds;
import io.tether.client.XdsInfo;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent's xDS address when its config gives no {@code xds}: what the control plane advertises
 * at {@code GET /v1/xds}, asked once at start with the host's token, as {@code agent run} asks
 * (docs/ecs.md "Host agent"). The advertised TLS must agree with {@code xdsCaFile}: the relay and the
 * egress Envoy speak TLS exactly when a CA is given.
 */
public final class AdvertisedXdsOfHost {
  private static final Logger log = LoggerFactory.getLogger(AdvertisedXdsOfHost.class);

  private AdvertisedXdsOfHost() {}

  /**
   * {@code settings} as they are when the xDS address is known, else with the advertised one.
   *
   * @param file the config file, named in the errors
   * @throws HostConfigException saying what failed and what to set in the file
   */
  public static HostSettings complete(HostSettings settings, Path file) throws HostConfigException {
    HostSettings.ControlPlane cp = settings.controlPlane();
    if (cp.xdsHost() != null) {
      return settings;
    }
    String server = cp.restApi().toString();
    XdsInfo info;
    try {
      info = AdvertisedXds.ask(server, cp.token());
    } catch (IOException | IllegalArgumentException e) {
      throw new HostConfigException(file + ": " + e.getMessage() + ": set xds: HOST:PORT in the file");
    }
    HostAndPort xds = address(info.address(), server, file);
    if (info.tls() && cp.xdsCaFile() == null) {
      throw new HostConfigException(file + ": the control plane serves xDS over TLS at " + xds + " (" + server
          + "/v1/xds): set xdsCaFile to the CA of its certificate");
    }
    if (!info.tls() && cp.xdsCaFile() != null) {
      throw new HostConfigException(file + ": xdsCaFile is set, but the control plane serves plaintext xDS at " + xds
          + " (" + server + "/v1/xds): remove xdsCaFile, or set xds to where xDS is served over TLS");
    }
    log.info("xDS at {}{}, as {}/v1/xds advertises", xds, info.tls() ? " (TLS)" : "", server);
    return settings.withControlPlane(cp.withXds(xds.getHost(), xds.getPort()));
  }

  private static HostAndPort address(String advertised, String server, Path file) throws HostConfigException {
    try {
      HostAndPort hp = HostAndPort.fromString(advertised);
      if (hp.hasPort() && !hp.getHost().isEmpty()) {
        return hp;
      }
    } catch (IllegalArgumentException e) {
      // said below
    }
    throw new HostConfigException(file + ": " + server + "/v1/xds advertises '" + advertised + "', which is no "
        + "HOST:PORT: set xds: HOST:PORT in the file");
  }
}
