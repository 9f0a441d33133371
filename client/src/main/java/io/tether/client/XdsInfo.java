package io.tether.client;

/**
 * Where a control plane serves xDS, as it advertises it ({@code GET /v1/xds}): the address agents put
 * in their bootstraps, and whether it speaks TLS there.
 */
public record XdsInfo(String address, boolean tls) {}
