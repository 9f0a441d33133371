package io.tether.registry.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.tether.model.AppProtocol;
import io.tether.model.Endpoint;
import java.util.List;

/** The shapes of list responses: summaries for people and tools; single GETs return the stored resource. */
final class Representations {
  private Representations() {}

  record Page<T>(long revision, List<T> items) {}

  record NamespaceSummary(String name, String description, int services, long modRevision) {}

  record AliasView(String dnsName, int port, String vip) {}

  record ServiceSummary(String discoveryName, String portName, AppProtocol appProtocol,
      List<AliasView> clientAliases, int endpoints, int healthyEndpoints, long modRevision,
      io.tether.model.ImportFrom importFrom) {}

  /** {@code drained}: true when an operator drained it, else absent (docs/operations.md). */
  record EndpointItem(String id, @JsonUnwrapped Endpoint endpoint, Boolean drained, long modRevision) {}

  record LeaseGrant(Long ttlSeconds, String namespace) {}

  /** A lease as the API shows it; the id is a string, see {@link io.tether.model.LeaseIdJson}. */
  record LeaseView(@JsonSerialize(using = ToStringSerializer.class) long leaseId, long ttlSeconds, String namespace) {}

  record HealthUpdate(io.tether.model.Health health) {}
}
