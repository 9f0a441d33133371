package io.tether.agent.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** DNS over TCP frames each message with its length, two bytes big-endian (RFC 1035 4.2.2). */
final class TcpFrames {
  private TcpFrames() {}

  /** The next message, or null when the peer closed the stream between messages. */
  static byte[] read(InputStream in) throws IOException {
    int high = in.read();
    if (high < 0) {
      return null;
    }
    int low = in.read();
    if (low < 0) {
      throw new EOFException("stream ended inside a length prefix");
    }
    byte[] message = new byte[(high << 8) | low];
    new DataInputStream(in).readFully(message);
    return message;
  }

  /** Writes prefix and message in one call, so that they usually leave in one segment. */
  static void write(OutputStream out, byte[] message) throws IOException {
    if (message.length > 0xFFFF) {
      throw new IOException("a DNS message of " + message.length + " bytes does not fit a TCP frame");
    }
    byte[] frame = new byte[message.length + 2];
    frame[0] = (byte) (message.length >>> 8);
    frame[1] = (byte) message.length;
    System.arraycopy(message, 0, frame, 2, message.length);
    out.write(frame);
    out.flush();
  }
}
