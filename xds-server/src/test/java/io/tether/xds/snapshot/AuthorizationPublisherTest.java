package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.tether.model.Authorization;
import io.tether.model.AuthorizationAction;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.ResourceNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rule change costs what it changed (docs/security.md "Authorization"): the ingress listener of its
 * callee, in the groups serving the callee, and nothing else; no other group gets a new snapshot.
 */
class AuthorizationPublisherTest extends PublisherFixture {
  static final GroupKey API_SIDECAR = new GroupKey("ns", ProxyKind.ENVOY, List.of(new ServedService("api", 15001, 8080)));
  static final GroupKey WEB_SERVER_ONLY = new GroupKey("ns", ProxyKind.ENVOY,
      List.of(new ServedService("web", 15000, 8080)), true, null);
  static final String WEB_INGRESS = ResourceNames.ingressListener("web");

  @Test
  void aRuleChangeGivesOnlyTheCalleesGroupsANewIngressListener() throws Exception {
    startWithWebAndApi(SIDECAR, WEB_SERVER_ONLY, API_SIDECAR, GRPC);
    GroupSnapshot web = served(SIDECAR);
    GroupSnapshot webServerOnly = served(WEB_SERVER_ONLY);
    GroupSnapshot api = served(API_SIDECAR);
    GroupSnapshot grpc = served(GRPC);
    published.clear();

    view.putAuthorization("ns", "no-api", new Authorization("no-api", "api", "web", AuthorizationAction.DENY, null));
    publisher.awaitIdle();

    assertThat(published).containsExactlyInAnyOrder(SIDECAR, WEB_SERVER_ONLY);
    assertThat(changedNames(web, served(SIDECAR))).containsExactly(ResourceType.LISTENER + " " + WEB_INGRESS);
    assertThat(changedNames(webServerOnly, served(WEB_SERVER_ONLY)))
        .containsExactly(ResourceType.LISTENER + " " + WEB_INGRESS);
    assertThat(served(API_SIDECAR)).isSameAs(api);
    assertThat(served(GRPC)).isSameAs(grpc);
    assertThat(ingress(SIDECAR).toString()).contains("envoy.filters.http.rbac", "spiffe://tether.local/ns/ns/svc/api");

    GroupSnapshot withRule = served(SIDECAR);
    published.clear();
    view.putAuthorization("ns", "no-api", null);
    publisher.awaitIdle();
    assertThat(published).containsExactlyInAnyOrder(SIDECAR, WEB_SERVER_ONLY);
    assertThat(changedNames(withRule, served(SIDECAR))).containsExactly(ResourceType.LISTENER + " " + WEB_INGRESS);
    assertThat(ingress(SIDECAR)).as("back to the rule-less listener").isEqualTo(web.of(ResourceType.LISTENER)
        .resources().get(WEB_INGRESS).resource());
    assertThat(served(SIDECAR).of(ResourceType.LISTENER).resources().get(WEB_INGRESS).version())
        .isEqualTo(web.of(ResourceType.LISTENER).resources().get(WEB_INGRESS).version());
  }

  @Test
  void aRuleMovedToAnotherCalleeReRendersBoth() throws Exception {
    startWithWebAndApi(SIDECAR, API_SIDECAR);
    view.putAuthorization("ns", "moving", new Authorization("moving", "*", "web", AuthorizationAction.DENY, null));
    publisher.awaitIdle();
    published.clear();

    view.putAuthorization("ns", "moving", new Authorization("moving", "*", "api", AuthorizationAction.DENY, null));
    publisher.awaitIdle();

    assertThat(published).containsExactlyInAnyOrder(SIDECAR, API_SIDECAR);
    assertThat(ingress(SIDECAR).toString()).as("the namespace wall only").doesNotContain("envoy.filters.http.rbac");
    assertThat(ingress(API_SIDECAR).toString()).contains("envoy.filters.http.rbac");
  }

  private Listener ingress(GroupKey group) {
    String name = ResourceNames.ingressListener(group.served().get(0).discoveryName());
    return (Listener) served(group).of(ResourceType.LISTENER).resources().get(name).resource();
  }
}
