package io.tether.agent.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Passes when the app accepts a TCP connection on 127.0.0.1 within the timeout. */
final class TcpProbe implements Probe {
  private final InetSocketAddress address;
  private final int timeoutMillis;

  TcpProbe(AppHealthCheck check) {
    this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), check.port());
    this.timeoutMillis = Math.toIntExact(Math.max(1, check.timeout().toMillis()));
  }

  @Override
  public void check() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, timeoutMillis);
    }
  }
}
