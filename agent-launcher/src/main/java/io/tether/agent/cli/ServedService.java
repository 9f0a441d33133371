package io.tether.agent.cli;

import io.tether.agent.registry.RegistryCallException;
import io.tether.agent.registry.RegistryClient;
import io.tether.model.ServiceSpec;

/** The service a task serves, as {@code tether agent run} reads it from the registry before it starts anything. */
final class ServedService {
  private ServedService() {}

  /** The service with its policy filled in; one that does not exist (or whose namespace does not) says how to create it. */
  static ServiceSpec lookUp(RegistryClient registry, String ns, String svc) {
    try {
      return registry.service(ns, svc, true);
    } catch (RegistryCallException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      String fix = e.getMessage().contains("namespace '" + ns + "'") ? "create it with `tether ns create " + ns + "`"
          : "create it with `tether svc apply -n " + ns + " -f SPEC`";
      throw new RegistryCallException(e.status(), e.code(), e.field(), e.getMessage() + "; " + fix, e);
    }
  }

  /** The service's health check policy as the {@code --health-check} syntax. */
  static String healthCheck(ServiceSpec spec) {
    if (spec == null || spec.policy().healthCheck() == null) {
      return "none";
    }
    String protocol = spec.policy().healthCheck().protocol() == null ? "tcp" : spec.policy().healthCheck().protocol();
    return protocol.equals("http") ? "http:" + spec.policy().healthCheck().path() : protocol;
  }
}
