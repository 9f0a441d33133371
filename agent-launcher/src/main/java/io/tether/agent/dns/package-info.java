/**
 * The host agent's DNS server for bridge-mode ECS tasks (docs/ecs.md, "Names that follow the registry").
 *
 * <p>Why DNS: each bridge-mode container has its own network namespace and its own {@code /etc/hosts},
 * which Docker writes when it creates the container, so the host agent has no file it could keep
 * current for them. What a task definition can give a bridge container is its resolver:
 * {@code tether agent inject} sets {@code dnsServers} to the docker bridge gateway, the host, where
 * {@link io.tether.agent.dns.AliasDns} listens. It answers the namespace's client-alias names with the
 * VIPs of the host's egress Envoy (re-based into the host's {@code vipRange}). It reads them from a
 * table on every query, so an alias created after the task started resolves at once, without a
 * redeploy. Every other name goes to the host's own resolvers, so a container resolves everything
 * else as it would without Tether.
 *
 * <p>Host-mode containers cannot be given a DNS server (Docker refuses {@code --dns} with the host
 * network). They get the hosts file instead ({@code io.tether.agent.hosts}).
 *
 * <p>dnsjava parses the queries and builds our own answers. Forwarded answers are relayed as the
 * upstream sent them, with only the id changed, so records dnsjava does not know pass through untouched.
 */
package io.tether.agent.dns;
