package io.tether.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Passes when the app accepts a TCP connection on its host within the timeout. */
final class TcpProbe implements Probe {
  private final InetSocketAddress address;
  private final int timeoutMillis;

  TcpProbe(AppHealthCheck check, String host) {
    this.address = new InetSocketAddress(host, check.port());
    this.timeoutMillis = Math.toIntExact(Math.max(1, check.timeout().toMillis()));
  }

  @Override
  public void check() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, timeoutMillis);
    }
  }
}
