package io.tether.agent.host;

import io.tether.agent.registry.RegistryClient;
import io.tether.agent.relay.AdsRelay;
import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RestRelay;
import io.tether.agent.relay.SourceFilter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The relays of the tests: on 127.0.0.1, free ports, the host's token ({@link HostControlPlane#TOKEN}). */
final class Relays {
  static final SourceFilter LOOPBACK = SourceFilter.parse("allowedSources", List.of("127.0.0.0/8"));
  /** Sources that exclude the tests' own (127.0.0.1). */
  static final SourceFilter ELSEWHERE = SourceFilter.parse("allowedSources", List.of("10.0.0.0/8", "fd00::/8"));
  static final byte[] HOST_INFO = "{\"namespace\":\"a\",\"address\":\"10.0.1.17\",\"xdsPort\":15102}"
      .getBytes(StandardCharsets.UTF_8);

  private Relays() {}

  static RestRelay rest(String controlPlane, SourceFilter sources, RelayHook hook) {
    return RestRelay.start(new RestRelay.Config(List.of(InetAddress.getLoopbackAddress()), 0, sources,
        URI.create(controlPlane), null, HostControlPlane.TOKEN, () -> HOST_INFO, hook));
  }

  static AdsRelay ads(int xdsPort, SourceFilter sources) {
    return AdsRelay.start(new AdsRelay.Config(List.of(InetAddress.getLoopbackAddress()), 0, sources, "127.0.0.1",
        xdsPort, null, HostControlPlane.TOKEN));
  }

  static String url(RestRelay relay) {
    return "http://127.0.0.1:" + relay.addresses().get(0).getPort();
  }

  static int port(AdsRelay relay) {
    return relay.addresses().get(0).getPort();
  }

  /** The host's deletions, as the host agent makes them: through the control plane with the host's token. */
  static EndpointDeleter deleter(HostControlPlane cp) {
    RegistryClient registry = new RegistryClient(URI.create(cp.restUrl()), HostControlPlane.TOKEN);
    return key -> registry.deregister(key.namespace(), key.service(), key.endpointId());
  }
}
