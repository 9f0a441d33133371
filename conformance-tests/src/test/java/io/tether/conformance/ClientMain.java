package io.tether.conformance;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A proxyless app on a test host: a stock grpc-java xDS client (bootstrap from {@code GRPC_XDS_BOOTSTRAP},
 * which names the {@code tether-bearer} credentials) calling {@code xds:///TARGET} one call at a time,
 * each bounded by its own deadline, and printing one line per call: {@code EPOCH_MILLIS ANSWER}, where
 * the answer is the backend's name, a status code or {@link CallLoop#HUNG}. It stops by itself after
 * {@code MAX_SECONDS}, or as soon as its standard input closes (the test's way of stopping it).
 *
 * <p>Usage: {@code ClientMain TARGET MAX_SECONDS PAUSE_MS DEADLINE_MS}
 */
public final class ClientMain {
  private ClientMain() {}

  public static void main(String[] args) {
    String target = args[0];
    long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    long pauseNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
    long deadlineMs = Long.parseLong(args[3]);
    Thread stdinWatch = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // nothing is sent: only the end of the stream counts
        }
      } catch (IOException e) {
        // closed: stop as well
      }
      System.exit(0);
    }, "stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();

    PrintStream out = System.out;
    ManagedChannel channel = Grpc.newChannelBuilder("xds:///" + target, InsecureChannelCredentials.create()).build();
    long start = System.nanoTime();
    int calls = 0;
    while (System.nanoTime() - start < maxNanos) {
      String answer = CallLoop.call(channel, deadlineMs);
      out.println(System.currentTimeMillis() + " " + answer);
      out.flush();
      calls++;
      LockSupport.parkNanos(pauseNanos);
    }
    out.println(System.currentTimeMillis() + " DONE " + calls);
    out.flush();
    channel.shutdownNow();
    System.exit(0);
  }
}
