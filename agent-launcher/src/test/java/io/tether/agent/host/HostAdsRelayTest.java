package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.tether.agent.relay.AdsRelay;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ADS relay between a raw ADS client and a real Tether xDS server: a real gRPC stream both ways,
 * authenticated by the token the relay adds (the server refuses the same client without it).
 */
class HostAdsRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static HostControlPlane cp;

  @BeforeAll
  static void start() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  @Test
  void aClientWithoutATokenGetsItsResourcesThroughTheRelay() throws Exception {
    try (AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.LOOPBACK);
        RawAds client = new RawAds(Relays.port(relay), null, "relayed-1")) {
      client.subscribe(RawAds.CDS);

      assertThat(RawAds.names(client.next(WAIT))).contains("web.a");
      assertThat(cp.connected("relayed-1")).as("the server holds the relayed stream").isTrue();
    }
  }

  @Test
  void theSameClientWithoutTheRelayIsRefused() throws Exception {
    try (RawAds client = new RawAds(cp.xdsPort(), null, "direct-1")) {
      client.subscribe(RawAds.CDS);

      assertThat(client.awaitClosed(WAIT).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void aTokenTheCallerSendsIsReplacedByTheHosts() throws Exception {
    try (AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.LOOPBACK);
        RawAds client = new RawAds(Relays.port(relay), "not-a-token-of-anyone-0123", "relayed-2")) {
      client.subscribe(RawAds.CDS);

      assertThat(RawAds.names(client.next(WAIT))).contains("web.a");
    }
  }

  @Test
  void laterChangesFlowDownTheRelayedStream() throws Exception {
    try (AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.LOOPBACK);
        RawAds client = new RawAds(Relays.port(relay), null, "relayed-3")) {
      client.subscribe(RawAds.CDS);
      var first = client.next(WAIT);
      client.ack(first);

      cp.service("later", Ports.free());

      // Responses for the fixture's own writes may come first: the server merges registry updates that
      // arrive within 100 ms of the last one it published (docs/scale.md "S5"), so one can trail the first.
      var response = client.next(WAIT);
      for (int more = 0; more < 5 && !RawAds.names(response).contains("later.a"); more++) {
        client.ack(response);
        response = client.next(WAIT);
      }
      assertThat(RawAds.names(response)).contains("web.a", "later.a");
    }
  }

  @Test
  void aSourceOutsideAllowedSourcesIsPermissionDenied() throws Exception {
    try (AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.ELSEWHERE);
        RawAds client = new RawAds(Relays.port(relay), null, "stranger")) {
      client.subscribe(RawAds.CDS);

      Status status = client.awaitClosed(WAIT);
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("allowedSources");
      assertThat(cp.connected("stranger")).isFalse();
    }
  }

  @Test
  void aCancelledCallerEndsItsUpstreamStream() throws Exception {
    try (AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.LOOPBACK);
        RawAds client = new RawAds(Relays.port(relay), null, "leaving")) {
      client.subscribe(RawAds.CDS);
      client.next(WAIT);

      client.cancel();

      Poll.until(WAIT, () -> relay.openCalls() == 0 && !cp.connected("leaving"), "the relayed stream ended upstream");
    }
  }

  @Test
  void stoppingTheRelayEndsItsStreamsWithUnavailable() throws Exception {
    AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.LOOPBACK);
    try (RawAds client = new RawAds(Relays.port(relay), null, "reconnecting")) {
      client.subscribe(RawAds.CDS);
      client.next(WAIT);

      relay.close();

      Status status = client.awaitClosed(WAIT);
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      Poll.until(WAIT, () -> !cp.connected("reconnecting"), "the upstream stream ended too");
    } finally {
      relay.close();
    }
  }

  @Test
  void anUnreachableControlPlaneIsUnavailableToTheCaller() throws Exception {
    try (AdsRelay relay = Relays.ads(Ports.free(), Relays.LOOPBACK);
        RawAds client = new RawAds(Relays.port(relay), null, "orphan")) {
      client.subscribe(RawAds.CDS);

      assertThat(client.awaitClosed(WAIT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }
}
