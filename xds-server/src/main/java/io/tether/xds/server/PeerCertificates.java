package io.tether.xds.server;

import io.tether.model.Names;
import io.tether.registry.auth.Caller;
import io.tether.registry.auth.Role;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.render.TrustDomain;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A TLS client certificate as an xDS credential (docs/security.md "TLS client certificates"): a leaf the
 * mesh CA signed whose one URI SAN is an identity of the trust domain,
 * {@code spiffe://<domain>/ns/<namespace>/…}, authenticates its holder as an agent of that namespace,
 * so a client that can present one needs no bearer token. Any other certificate authenticates nobody:
 * one signed by another CA the xDS port trusts ({@code --xds-client-ca}) still needs a token.
 */
final class PeerCertificates {
  /** {@code getSubjectAlternativeNames}' type of a URI. */
  private static final int URI_SAN = 6;

  private final TrustDomain domain;
  private final MeshCa ca;

  PeerCertificates(TrustDomain domain, MeshCa ca) {
    this.domain = domain;
    this.ca = ca;
  }

  /** The caller the session's verified peer certificate names, if it is a mesh identity. */
  Optional<Caller> caller(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException none) {
      return Optional.empty();
    }
    if (peer.length == 0 || !(peer[0] instanceof X509Certificate leaf) || !signedByMeshCa(leaf)) {
      return Optional.empty();
    }
    return onlyUri(leaf).flatMap(this::namespaceOf)
        .map(ns -> new Caller(onlyUri(leaf).orElseThrow(), Role.AGENT, ns));
  }

  private boolean signedByMeshCa(X509Certificate leaf) {
    try {
      leaf.verify(ca.certificate().getPublicKey());
      leaf.checkValidity();
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The certificate's one URI SAN; none when it has none or several. */
  private static Optional<String> onlyUri(X509Certificate leaf) {
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    List<String> uris = names == null ? List.of() : names.stream()
        .filter(n -> n.size() == 2 && Integer.valueOf(URI_SAN).equals(n.get(0)))
        .map(n -> String.valueOf(n.get(1))).toList();
    return uris.size() == 1 ? Optional.of(uris.get(0)) : Optional.empty();
  }

  /** {@code spiffe://<domain>/ns/<namespace>/<rest>} → the namespace, when it is a DNS label. */
  private Optional<String> namespaceOf(String spiffeId) {
    String prefix = domain.prefix() + "ns/";
    if (!spiffeId.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = spiffeId.substring(prefix.length());
    int slash = rest.indexOf('/');
    String ns = slash < 0 ? rest : rest.substring(0, slash);
    return slash > 0 && Names.isLabel(ns) ? Optional.of(ns) : Optional.empty();
  }
}
