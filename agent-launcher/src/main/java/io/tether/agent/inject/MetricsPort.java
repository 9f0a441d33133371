package io.tether.agent.inject;

/**
 * What the injected sidecar says about its metrics endpoint (docs/task-metrics.md): the
 * {@code TETHER_METRICS_PORT} it is given, and the port mapping that publishes it.
 *
 * @param environment the value of {@code TETHER_METRICS_PORT}, or null to leave the agent's default
 * @param mapped bridge mode: the container port to map to a dynamic host port, so that a Prometheus on
 *     another host can scrape it; null for no mapping
 */
record MetricsPort(Integer environment, Integer mapped) {}
