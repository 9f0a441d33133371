package io.tether.bench;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A child JVM of N stock grpc-java xDS clients ({@link GrpcXdsClient#subscribing}), each its own node and
 * ADS stream, each with a channel to {@code --target}: the real clients {@link FleetValidation} holds the
 * fleet against. Prints {@code READY} once every channel has started its call (the server tells when
 * they have subscribed), then holds them until stdin closes.
 */
@Command(name = "grpc-clients", mixinStandardHelpOptions = true)
public final class GrpcClients implements Callable<Integer> {
  @Option(names = "--port", required = true, description = "the xDS server's port")
  int port;

  @Option(names = "--clients", required = true)
  int clients;

  @Option(names = "--namespace", required = true)
  String namespace;

  @Option(names = "--token", description = "bearer token (none: insecure channel credentials)")
  String token;

  @Option(names = "--target", required = true, description = "the channels' host:port, a service alias")
  String target;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GrpcClients()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<GrpcXdsClient> all = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        all.add(GrpcXdsClient.subscribing(port, namespace, token, target));
      }
      System.out.println("READY " + all.size());
      System.out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // held until the parent closes stdin
      }
    } finally {
      all.forEach(GrpcXdsClient::close);
    }
    return 0;
  }
}
