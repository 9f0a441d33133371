package io.tether.xds.node;

/**
 * Which proxy a stream belongs to. Node ids are unique per namespace only (each namespace's agents
 * pick their own), so a node id alone does not name a proxy: the same id may be connected in two
 * namespaces at once, and those are two proxies.
 */
public record ProxyKey(String namespace, String nodeId) {}
