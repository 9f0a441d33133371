package io.tether.agent.relay;

import java.util.Map;

/**
 * One REST request on its way to the control plane, as the relay received it.
 *
 * @param method e.g. {@code PUT}
 * @param path the raw path, exactly as forwarded, for matching routes ({@code /v1/namespaces/prod/services/…});
 *     never one with dot segments, {@code //} or an encoded dot or slash (the relay refuses those)
 * @param target the raw path and query, as sent on ({@code /v1/…?effective=true})
 * @param body the request body (empty when there is none)
 * @param headers the caller's headers that are relayed ({@link RestForwarder#REQUEST_HEADERS})
 */
public record RelayedRequest(String method, String path, String target, byte[] body, Map<String, String> headers) {
  public RelayedRequest {
    headers = Map.copyOf(headers);
  }
}
