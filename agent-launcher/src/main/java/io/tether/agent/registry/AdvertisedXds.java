package io.tether.agent.registry;

import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.client.XdsInfo;
import java.io.IOException;
import java.time.Duration;

/**
 * Asks a control plane where it serves xDS ({@code GET /v1/xds}: its address and whether it speaks
 * TLS there), for every agent that is not told (docs/cli.md, "The xDS address"). The messages say
 * what failed; each caller adds what to set instead, in its own terms (a flag, a config field, a
 * variable).
 */
public final class AdvertisedXds {
  private AdvertisedXds() {}

  /**
   * @param server the REST API's URL
   * @throws IOException when the control plane did not answer or answered 5xx: worth asking again
   * @throws IllegalArgumentException when it refused (a bad token, say) or answered without an address
   */
  public static XdsInfo ask(String server, String token) throws IOException {
    try {
      return TetherClient.builder(server).token(token).connectTimeout(Duration.ofSeconds(3))
          .requestTimeout(Duration.ofSeconds(5)).build().xds();
    } catch (ApiException e) {
      String message = failed(server, why(e));
      if (e.status() == 0 || e.status() >= 500) {
        throw new IOException(message, e);
      }
      throw new IllegalArgumentException(message, e);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(failed(server, e.getMessage()), e);
    }
  }

  private static String failed(String server, String why) {
    return "cannot learn the xDS address from " + server + "/v1/xds (" + why + ")";
  }

  private static String why(ApiException e) {
    if (e.status() > 0) {
      return "HTTP " + e.status() + (e.apiMessage() == null ? "" : ": " + e.apiMessage());
    }
    return e.getCause() != null ? String.valueOf(e.getCause()) : e.getMessage();
  }
}
