package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** A host's HTTP app for the Envoy across-hosts test: answers its name on every path; exits 0 on SIGTERM. */
public final class HttpHostMain {
  public static void main(String[] args) throws Exception {
    String name = args[0];
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[1])), 0);
    HttpBackends.answerEveryPath(server, name);
    server.start();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    stop.await();
    server.stop(0);
    System.exit(0);
  }
}
