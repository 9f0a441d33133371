package io.tether.main;

import io.tether.registry.api.ApiTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code tether server}'s options of the REST API over TLS (docs/security.md "The REST API over TLS"). */
final class ApiTlsOptions {
  @Option(names = "--api-tls-cert", paramLabel = "PEM",
      description = "Serve the REST API and the console over HTTPS with this certificate chain (docs/security.md)")
  Path apiTlsCert;

  @Option(names = "--api-tls-key", paramLabel = "PEM", description = "The private key of --api-tls-cert")
  Path apiTlsKey;

  @Option(names = "--api-peer-ca", paramLabel = "PEM", description = "With --api-tls-cert: the CA certificates that "
      + "verify the other replicas' API certificates, for /v1/proxies across replicas (default: the JVM's CAs)")
  Path apiPeerCa;

  /**
   * The API's TLS, null for plain HTTP; the files checked now, so that a bad one is one line.
   *
   * @throws IllegalArgumentException naming the option (and the file)
   */
  ApiTls apiTls() {
    if ((apiTlsCert == null) != (apiTlsKey == null)) {
      throw new IllegalArgumentException("--api-tls-cert and --api-tls-key go together");
    }
    if (apiPeerCa != null && apiTlsCert == null) {
      throw new IllegalArgumentException("--api-peer-ca is for replicas serving the API over TLS: it needs --api-tls-cert");
    }
    return apiTlsCert == null ? null : new ApiTls(apiTlsCert, apiTlsKey, apiPeerCa).checked();
  }
}
