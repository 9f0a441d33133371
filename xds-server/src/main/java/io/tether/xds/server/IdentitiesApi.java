package io.tether.xds.server;

import io.tether.model.ErrorCode;
import io.tether.model.InvalidSpecException;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.Caller;
import io.tether.registry.view.RegistryView;
import io.tether.xds.identity.CertificateRequests;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.identity.Pem;
import io.vertx.ext.web.RoutingContext;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs a proxyless app's key, sent as a PKCS#10 request by its agent (docs/security.md "Certificates over
 * SDS"): {@code POST /v1/namespaces/{ns}/identities/{name}/certificate} for the identity of service {@code
 * name} of {@code ns}, {@code POST /v1/namespaces/{ns}/client-certificate} for the namespace's anonymous
 * client (an app that calls services and serves none). The key never leaves the agent's host; the identity
 * is the path's, whatever the request names. An agent token of the namespace, or admin. Signing runs on a
 * worker thread.
 */
public final class IdentitiesApi {
  private final MeshIdentities identities;
  private final RegistryView view;

  private IdentitiesApi(MeshIdentities identities, RegistryView view) {
    this.identities = identities;
    this.view = view;
  }

  public static void mount(RegistryApi api, MeshIdentities identities, RegistryView view) {
    IdentitiesApi routes = new IdentitiesApi(identities, view);
    api.post("/v1/namespaces/:ns/identities/:name/certificate", routes::signService);
    api.post("/v1/namespaces/:ns/client-certificate", routes::signClient);
  }

  /** The request body: one field, the CSR in PEM. */
  public record SignRequest(String csr) {}

  private void signService(RoutingContext ctx) {
    String ns = Names.requireLabel("namespace", ctx.pathParam("ns"));
    String name = Names.requireLabel("name", ctx.pathParam("name"));
    sign(ctx, ns, identities.trustDomain().service(ns, name));
  }

  private void signClient(RoutingContext ctx) {
    String ns = Names.requireLabel("namespace", ctx.pathParam("ns"));
    sign(ctx, ns, identities.trustDomain().anonymousClient(ns));
  }

  private void sign(RoutingContext ctx, String ns, String spiffeId) {
    Caller caller = RegistryApi.caller(ctx);
    if (!caller.canRegisterIn(ns)) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED, "token '" + caller.name()
          + "' may not request certificates in namespace '" + ns + "'");
    }
    SignRequest request = Json.parse(RegistryApi.requestBody(ctx), SignRequest.class);
    if (request.csr() == null) {
      throw new InvalidSpecException("csr", "csr is required: a PEM certificate request");
    }
    PublicKey key = CertificateRequests.verifiedKey(request.csr());
    if (view.current().namespace(ns).isEmpty()) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "namespace '" + ns + "' does not exist");
    }
    ctx.vertx().executeBlocking(() -> identities.issuer().sign(key, spiffeId))
        .onSuccess(chain -> json(ctx, answer(spiffeId, chain)))
        .onFailure(ctx::fail);
  }

  private Map<String, Object> answer(String spiffeId, List<X509Certificate> chain) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("spiffeId", spiffeId);
    body.put("certificateChain", Pem.write(chain.toArray()));
    body.put("trustBundle", Pem.write(identities.issuer().ca().trustAnchor()));
    body.put("notAfter", chain.get(0).getNotAfter().toInstant().toString());
    return body;
  }

  private static void json(RoutingContext ctx, Object body) {
    ProxiesApi.json(ctx, 200, body);
  }
}
