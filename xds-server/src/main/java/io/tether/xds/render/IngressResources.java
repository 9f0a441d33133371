package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;

/** What a served service adds to its own sidecar: the ingress listener and the static cluster to the app. */
public record IngressResources(Listener listener, Cluster localCluster) {}
