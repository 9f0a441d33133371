package io.tether.agent.host;

import java.util.List;

/**
 * The host agent's config file ({@code tether agent host --config /etc/tether/host.yaml}, YAML or JSON)
 * exactly as written; {@link HostConfigLoader} reads it strictly (an unknown field, a duplicate key or
 * a wrong type is an error naming the field) and checks every value. A field left out takes its
 * default. The contract: docs/ecs.md "Host agent".
 *
 * @param server required: Tether's REST API, {@code HOST:PORT} or {@code http(s)://HOST:PORT}, parsed as
 *     every command parses {@code --server} ({@code ServerUrl})
 * @param controlPlane the old name of {@code server}, still read; giving both is an error
 * @param serverCa a PEM file of the CA(s) an {@code https} server's certificate is trusted by, instead of
 *     the JVM's CAs; every REST call of the host agent (its own and the relayed ones) trusts it
 * @param tokenFile required: a file holding an agent token of the namespace (mode 0600: a file others
 *     can read is warned about)
 * @param namespace required: the namespace this host's tasks belong to
 * @param address what other hosts reach this host's tasks at; default: the IPv4 address of the default
 *     route's interface, else of the first non-loopback interface (as {@code agent run})
 * @param zone the tasks' locality; default none
 * @param xds the xDS server, {@code HOST:PORT}; default what the control plane advertises at
 *     {@code GET /v1/xds}, asked at start ({@link AdvertisedXdsOfHost})
 * @param xdsCaFile when given, xDS (the relay's and the egress Envoy's) goes over TLS verified against
 *     this CA; default plaintext
 * @param listen where tasks reach the host agent; default {@code [127.0.0.1, 172.17.0.1]} (loopback for
 *     host-mode tasks, the docker bridge's gateway for bridge-mode tasks)
 * @param allowedSources the only sources the relays answer, CIDR blocks; default {@code [127.0.0.0/8,
 *     172.17.0.0/16]}
 * @param apiPort the REST relay and {@code /tether/host}; default 15101
 * @param xdsPort the ADS relay; default 15102
 * @param dns where the DNS server for bridge-mode tasks listens, {@code IP[:PORT]} (port 53 when left
 *     out), or {@code none}; default {@code 172.17.0.1:53}
 * @param vipRange where this host serves the aliases, {@code P.Q.0.0/16}; default {@code 100.127.0.0/16};
 *     {@code 127.255.0.0/16} serves them on the registry's own loopback VIPs (no route needed: for
 *     hosts whose tasks all share the host's network)
 * @param hostsFile the file host-mode tasks bind-mount, or {@code none}; default {@code /etc/hosts}
 * @param ecsAgent the ECS agent's introspection API; default {@code http://127.0.0.1:51678}
 * @param ecsPollMs how often the ECS agent is asked which tasks run; default 1000
 * @param namesRefreshMs how often the namespace's aliases are read from the registry; default 1000
 * @param envoyBin the egress Envoy's binary; default {@code $ENVOY_BIN}, else {@code envoy} on PATH
 * @param adminPort the egress Envoy's admin port on 127.0.0.1; default 15100, beside the relay's ports
 *     (a host-mode task sidecar's Envoy admin is 9901 and its metrics 9902, on the same loopback)
 * @param workDir where the egress Envoy's bootstrap (it holds the token) and log go; default a new
 *     private directory in the system temp directory, removed on exit
 */
public record HostConfig(String server, String controlPlane, String serverCa, String tokenFile, String namespace,
    String address, String zone, String xds, String xdsCaFile, List<String> listen, List<String> allowedSources,
    Integer apiPort, Integer xdsPort, String dns, String vipRange, String hostsFile, String ecsAgent, Integer ecsPollMs, Integer namesRefreshMs,
    String envoyBin, Integer adminPort, String workDir) {

  public static final List<String> DEFAULT_LISTEN = List.of("127.0.0.1", "172.17.0.1");
  public static final List<String> DEFAULT_ALLOWED_SOURCES = List.of("127.0.0.0/8", "172.17.0.0/16");
  public static final int DEFAULT_API_PORT = 15101;
  public static final int DEFAULT_XDS_PORT = 15102;
  public static final String DEFAULT_DNS = "172.17.0.1:53";
  public static final String DEFAULT_VIP_RANGE = "100.127.0.0/16";
  public static final String DEFAULT_HOSTS_FILE = "/etc/hosts";
  public static final String DEFAULT_ECS_AGENT = "http://127.0.0.1:51678";
  public static final int DEFAULT_ECS_POLL_MS = 1000;
  public static final int DEFAULT_NAMES_REFRESH_MS = 1000;
  public static final int DEFAULT_ADMIN_PORT = 15100;
  /** The value of {@code dns} and {@code hostsFile} that switches them off. */
  public static final String NONE = "none";
}
