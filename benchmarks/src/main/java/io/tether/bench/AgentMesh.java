package io.tether.bench;

import java.nio.file.Path;

/**
 * What every agent of the agent benchmark runs against: the Tether server (REST API URL and xDS port,
 * in the benchmark's JVM on its own etcd), an agent token of namespace {@link #NS}, the Envoy binary, the
 * agent's classpath, and the directory the runs write to.
 */
record AgentMesh(Path dir, Path envoy, String classpath, String server, int xdsPort, Path tokenFile) {
  static final String NS = "bench";
  static final String SERVICE = "web";
}
