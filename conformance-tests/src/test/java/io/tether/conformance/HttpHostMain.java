package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/** A host's HTTP app for the Envoy across-hosts test: answers its name on every path; exits 0 on SIGTERM. */
public final class HttpHostMain {
  public static void main(String[] args) throws Exception {
    String name = args[0];
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[1])), 0);
    HttpBackends.answerEveryPath(server, name);
    HttpBackends.serveUntilSigterm(server);
  }
}
