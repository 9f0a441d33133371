package io.tether.model;

/** A name and port by which clients in the namespace reach a service, e.g. {@code payments:8080}. */
public record ClientAlias(String dnsName, Integer port) {

  /** The alias as {@code dnsName:port}: the key of its VIP and the name proxyless clients ask for. */
  public String hostPort() {
    return dnsName + ":" + port;
  }
}
