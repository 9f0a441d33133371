package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.tether.model.Authorization;
import io.tether.model.AuthorizationAction;
import io.tether.model.HttpMatch;
import io.tether.xds.node.ServedService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Callees' ingress listeners with authorization rules (docs/security.md "Authorization") against reviewed
 * files under {@code golden/authz/}: a DENY default with one ALLOW rule, an ALLOW default with a DENY rule, a
 * rule on paths and methods, and a tcp service's rule. Update as {@link GoldenFilesTest} says.
 */
class RbacGoldenFilesTest {
  private static final ServedService PAYMENTS = MeshFixture.SERVED.get(0);
  private static final ServedService CACHE = MeshFixture.SERVED.get(2);
  private static final TrustDomain DOMAIN = new TrustDomain("example.org");

  static Map<String, Message> cases() {
    Map<String, Message> out = new LinkedHashMap<>();
    out.put("deny-default-one-allow", payments(AuthorizationAction.DENY,
        rule("checkout-to-payments", "checkout", "payments", null)));
    out.put("allow-default-one-deny", payments(AuthorizationAction.ALLOW,
        new Authorization("no-batch", "batch", "payments", AuthorizationAction.DENY, null)));
    out.put("http-paths-and-methods", payments(AuthorizationAction.DENY,
        rule("checkout-pays", "checkout", "payments", List.of(
            new HttpMatch(List.of("/pay", "/refunds/*"), List.of("POST", "PUT")), new HttpMatch(null, List.of("GET")))),
        new Authorization("any-caller-health", "*", "payments", null,
            List.of(new HttpMatch(List.of("/healthz"), null)))));
    out.put("tcp-service-rule", MeshRenderer.ingress(MeshFixture.CACHE, CACHE, new IngressAuthorization(
        List.of(rule("api-to-cache", "api", "cache", null),
            new Authorization("no-batch", "batch", "cache", AuthorizationAction.DENY, null)),
        AuthorizationAction.DENY, DOMAIN)).listener());
    return out;
  }

  @Test
  void ingressListenersWithRulesMatchTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("authz"), cases());
  }

  @Test
  void everyCasePassesEnvoysValidateRulesAndUsesNoDeprecatedField() {
    GoldenFilesTest.assertValidAndCurrent(cases());
  }

  @Test
  void noRuleAndAnAllowDefaultRenderTheIngressAsBefore() {
    assertThat(MeshRenderer.ingress(MeshFixture.PAYMENTS, PAYMENTS, new IngressAuthorization(
        List.of(rule("redundant", "checkout", "payments", null)), AuthorizationAction.ALLOW, DOMAIN)))
        .isEqualTo(MeshRenderer.ingress(MeshFixture.PAYMENTS, PAYMENTS));
  }

  @Test
  void theRbacFiltersComeAfterTheWallBeforeTheRouterDenyFirst() throws Exception {
    Listener l = (Listener) payments(AuthorizationAction.DENY,
        new Authorization("no-batch", "batch", "payments", AuthorizationAction.DENY, null));
    HttpConnectionManager hcm = l.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
    assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
        .containsExactly(NamespaceWall.NAME, RbacFilters.HTTP_FILTER, RbacFilters.HTTP_FILTER,
            HttpConnectionManagers.ROUTER);
    var first = hcm.getHttpFilters(1).getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
    assertThat(first.getRules().getAction()).isEqualTo(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.DENY);
    assertThat(first.getRules().getPoliciesMap().get("no-batch").getPrincipals(0).getAuthenticated()
        .getPrincipalName().getExact()).isEqualTo("spiffe://example.org/ns/prod/svc/batch");
  }

  /** A rule naming callers of another namespace: its exact identity, or every identity of that namespace. */
  @Test
  void aRuleFromAnotherNamespaceNamesItsIdentities() throws Exception {
    Listener l = (Listener) payments(AuthorizationAction.DENY, rule("dev-checkout", "dev/checkout", "payments", null),
        rule("qa-all", "qa/*", "payments", null));
    HttpConnectionManager hcm = l.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
    var allow = hcm.getHttpFilters(1).getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules().getPoliciesMap();
    assertThat(allow.get("dev-checkout").getPrincipals(0).getAuthenticated().getPrincipalName().getExact())
        .isEqualTo("spiffe://example.org/ns/dev/svc/checkout");
    assertThat(allow.get("qa-all").getPrincipals(0).getAuthenticated().getPrincipalName().getPrefix())
        .isEqualTo("spiffe://example.org/ns/qa/");
  }

  /** The wall admits the service's own namespace and those it is exported to, and denies other mesh identities. */
  @Test
  void theWallDeniesMeshIdentitiesOfNamespacesTheServiceIsNotExportedTo() {
    var rules = NamespaceWall.rules("prod", List.of("qa", "dev"), DOMAIN);
    assertThat(rules.getAction()).isEqualTo(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.DENY);
    var ids = rules.getPoliciesMap().get(NamespaceWall.POLICY).getPrincipals(0).getAndIds().getIdsList();
    assertThat(ids.get(0).getAuthenticated().getPrincipalName().getPrefix()).isEqualTo("spiffe://example.org/");
    assertThat(ids.get(1).getNotId().getOrIds().getIdsList())
        .extracting(p -> p.getAuthenticated().getPrincipalName().getPrefix())
        .containsExactly("spiffe://example.org/ns/prod/", "spiffe://example.org/ns/dev/", "spiffe://example.org/ns/qa/");
  }

  private static Message payments(AuthorizationAction defaultAction, Authorization... rules) {
    return MeshRenderer.ingress(MeshFixture.PAYMENTS, PAYMENTS,
        new IngressAuthorization(List.of(rules), defaultAction, DOMAIN)).listener();
  }

  private static Authorization rule(String name, String from, String to, List<HttpMatch> http) {
    return new Authorization(name, from, to, null, http);
  }
}
