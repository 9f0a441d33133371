package io.tether.agent.cli;

import io.tether.agent.registry.AdvertisedXds;
import io.tether.client.XdsInfo;
import java.io.IOException;

/**
 * Where the agent's xDS goes when {@code --xds} is not given: what the control plane advertises at
 * {@code GET /v1/xds} (its address and whether it speaks TLS), rather than a guess (docs/cli.md "The
 * xDS address"). When the control plane cannot say, the failure names what to pass.
 */
final class XdsLookup {
  private XdsLookup() {}

  /** The xDS address and TLS: {@code explicit} as given (TLS unknown: false), else the control plane's answer. */
  static XdsTarget resolve(String explicit, String server, String token) {
    if (explicit != null) {
      return new XdsTarget(Args.hostPort("--xds", explicit), false);
    }
    if (server == null) {
      throw new IllegalArgumentException("no xDS address: pass --xds HOST:PORT, or --server URL to ask the "
          + "control plane for it");
    }
    XdsInfo info;
    try {
      info = AdvertisedXds.ask(server, token);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ": pass --xds HOST:PORT");
    }
    return new XdsTarget(Args.hostPort("the xDS address " + server + "/v1/xds advertises", info.address()), info.tls());
  }

  /** The xDS address to use, and whether the control plane said it speaks TLS there. */
  record XdsTarget(Args.HostPort address, boolean tls) {}
}
