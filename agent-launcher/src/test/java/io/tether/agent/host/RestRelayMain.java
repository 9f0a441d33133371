package io.tether.agent.host;

import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RestRelay;

/**
 * A REST relay alone in a JVM of its own (so the JDK server's configuration is the relay's, not that of
 * an earlier test's server): prints its port, serves until stdin closes.
 */
public final class RestRelayMain {
  private RestRelayMain() {}

  public static void main(String[] args) throws Exception {
    try (RestRelay relay = Relays.rest(args[0], Relays.LOOPBACK, RelayHook.NONE)) {
      System.out.println(relay.addresses().get(0).getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes our stdin
      }
    }
  }
}
