package io.tether.agent.cli;

import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.client.XdsInfo;
import java.time.Duration;

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
      info = TetherClient.builder(server).token(token).connectTimeout(Duration.ofSeconds(3))
          .requestTimeout(Duration.ofSeconds(5)).build().xds();
    } catch (ApiException | IllegalStateException e) {
      throw new IllegalArgumentException("cannot learn the xDS address from " + server + "/v1/xds ("
          + why(e) + "): pass --xds HOST:PORT");
    }
    return new XdsTarget(Args.hostPort("the xDS address " + server + "/v1/xds advertises", info.address()), info.tls());
  }

  private static String why(RuntimeException e) {
    if (e instanceof ApiException a && a.status() > 0) {
      return "HTTP " + a.status() + (a.apiMessage() == null ? "" : ": " + a.apiMessage());
    }
    return e instanceof ApiException a && a.getCause() != null ? String.valueOf(a.getCause()) : e.getMessage();
  }

  /** The xDS address to use, and whether the control plane said it speaks TLS there. */
  record XdsTarget(Args.HostPort address, boolean tls) {}
}
