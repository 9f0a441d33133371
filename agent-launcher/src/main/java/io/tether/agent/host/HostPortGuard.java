package io.tether.agent.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RelayedRequest;
import io.tether.model.json.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST relay's hook that keeps one endpoint per host port (docs/ecs.md "Host ports"). It follows
 * the endpoint registrations and deletions it relays in {@link HostPorts}. A registration of an
 * address:port that another task's endpoint holds deletes that endpoint first: only one process can
 * hold a host port, so the other task is gone even if its lease has not expired yet (ECS reuses
 * dynamic host ports; amazon-ecs-agent#1417). Only a task's registration is remembered, one whose
 * metadata has {@code ecsTaskArn} (as the task agent writes it): an endpoint that something else on the
 * host registers through the relay is never swept, nor evicted by a later registration of its port.
 *
 * <p>Runs on the relay's request threads, concurrently; its only state is the thread-safe {@link
 * HostPorts}. Two registrations racing for one port may both get in; the next one, or the clean-up
 * of tasks ECS no longer runs, settles it.
 */
final class HostPortGuard implements RelayHook {
  private static final Logger log = LoggerFactory.getLogger(HostPortGuard.class);

  /** What a registration's body says, of what matters here. */
  private record Registered(String address, int port, Long leaseId, boolean task) {}

  private final HostPorts ports;
  private final EndpointDeleter deleter;

  HostPortGuard(HostPorts ports, EndpointDeleter deleter) {
    this.ports = ports;
    this.deleter = deleter;
  }

  @Override
  public void beforeForward(RelayedRequest request) {
    Optional<HostPorts.Key> endpoint = EndpointPaths.endpoint(request.path());
    if (!request.method().equals("PUT") || endpoint.isEmpty()) {
      return;
    }
    Registered registered = registered(request.body());
    if (registered == null) {
      return; // not an endpoint the registry would take: it will say so
    }
    for (HostPorts.Held stale : ports.holdersOf(registered.address(), registered.port(), endpoint.get().endpointId())) {
      evict(stale, endpoint.get());
    }
  }

  private void evict(HostPorts.Held stale, HostPorts.Key newcomer) {
    try {
      deleter.delete(stale.key());
      ports.forget(stale);
      log.info("deleted endpoint {}: it held {}, which task {} registers now ({})", stale.key(), stale.hostPort(),
          newcomer.endpointId(), newcomer);
    } catch (RuntimeException e) {
      log.warn("could not delete endpoint {}, which holds {} that task {} registers now: {} (its lease will expire it)",
          stale.key(), stale.hostPort(), newcomer.endpointId(), e.getMessage());
    }
  }

  @Override
  public void afterForward(RelayedRequest request, int status) {
    boolean done = status >= 200 && status < 300;
    Optional<HostPorts.Key> endpoint = EndpointPaths.endpoint(request.path());
    if (endpoint.isPresent() && request.method().equals("PUT") && done) {
      Registered registered = registered(request.body());
      if (registered != null && registered.task()) {
        ports.remember(endpoint.get(), registered.address(), registered.port(), registered.leaseId());
      } else if (registered != null) {
        ports.forget(endpoint.get()); // not (or no longer) a task's: neither swept nor evicted by us
      }
    } else if (endpoint.isPresent() && request.method().equals("DELETE") && (done || status == 404)) {
      ports.forget(endpoint.get());
    } else if (request.method().equals("DELETE") && (done || status == 404)) {
      OptionalLong lease = EndpointPaths.lease(request.path());
      lease.ifPresent(ports::forgetLease);
    }
  }

  /** The address, port and lease of a registration's body; null when it has no address and port. */
  private static Registered registered(byte[] body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (json == null || !json.path("address").isTextual() || !json.path("port").isInt()) {
      return null;
    }
    JsonNode arn = json.path("metadata").path("ecsTaskArn");
    return new Registered(json.path("address").asText(), json.path("port").asInt(), leaseId(json.path("leaseId")),
        arn.isTextual() && !arn.asText().isBlank());
  }

  /** Lease ids are int64, written as a string (or, by older callers, a number); null when absent or not one. */
  private static Long leaseId(JsonNode lease) {
    if (lease.canConvertToLong()) {
      return lease.asLong();
    }
    try {
      return lease.isTextual() ? Long.valueOf(lease.asText()) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
