package io.tether.xds.identity;

import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.tether.xds.render.TrustDomain;

/**
 * The SDS secrets of Envoy groups (docs/security.md "Certificates over SDS"), named as
 * {@link TrustDomain} says: leaves with their keys, and the trust bundle. Versions are the serials of the certificates they carry, so the same leaf
 * renders the same version on every re-render, and a renewal is the only change.
 */
public final class SdsSecrets {
  private SdsSecrets() {}

  /** What {@code /v1/proxies/*}/config shows instead of a private key. */
  public static final String REDACTED = "[redacted]";

  /** The secret {@code name} ({@code tether/identity}, {@code tether/svc/…}): the leaf, its intermediates and its key. */
  public static VersionedResource<Secret> leaf(String name, Leaf leaf) {
    Secret s = Secret.newBuilder().setName(name)
        .setTlsCertificate(TlsCertificate.newBuilder()
            .setCertificateChain(inline(leaf.chainPem()))
            .setPrivateKey(inline(leaf.keyPem())))
        .build();
    return VersionedResource.create(s, "leaf-" + leaf.serial());
  }

  /** {@code tether/trust-bundle}: the CA certificate that verifies peers. */
  public static VersionedResource<Secret> trustBundle(MeshCa ca) {
    Secret s = Secret.newBuilder().setName(TrustDomain.TRUST_BUNDLE_SECRET)
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(inline(Pem.write(ca.trustAnchor()))))
        .build();
    return VersionedResource.create(s, "ca-" + ca.trustAnchor().getSerialNumber().toString(16));
  }

  /** The secret as it may be shown: a TLS certificate's private key replaced by {@link #REDACTED}. */
  public static Secret redacted(Secret s) {
    if (!s.hasTlsCertificate()) {
      return s;
    }
    return s.toBuilder().setTlsCertificate(s.getTlsCertificate().toBuilder().setPrivateKey(inline(REDACTED))).build();
  }

  private static DataSource inline(String text) {
    return DataSource.newBuilder().setInlineString(text).build();
  }
}
