package io.tether.client;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK HTTP clients {@link TetherClient}s send on, and the CA they trust when their builder names
 * none ({@link TetherClient#trustByDefault}).
 */
final class SharedHttpClients {
  /** An HttpClient holds a selector thread and nothing per caller: clients with the same settings share one. */
  private static final Map<Transport, HttpClient> SHARED = new ConcurrentHashMap<>();

  /** {@code ca}: the file of the CA trusted instead of the JVM's (null: the JVM's). */
  private record Transport(HttpClient.Version version, Duration connectTimeout, Path ca) {}

  /** The CA trusted by clients that name none: an agent command's {@code --server-ca} (one server per process). */
  private static volatile Path defaultCa;

  private SharedHttpClients() {}

  /** See {@link TetherClient#trustByDefault}. */
  static void trustByDefault(Path ca) {
    if (ca != null) {
      ServerCa.load("--server-ca", ca); // refused now, with the option's name, rather than at the first call
    }
    defaultCa = ca;
  }

  /** The client for these settings; {@code ca} null: the CA trusted by default. */
  static HttpClient get(HttpClient.Version version, Duration connectTimeout, Path ca) {
    Path trusted = ca != null ? ca : defaultCa;
    return SHARED.computeIfAbsent(new Transport(version, connectTimeout, trusted), t -> {
      HttpClient.Builder b = HttpClient.newBuilder().version(t.version()).connectTimeout(t.connectTimeout());
      if (t.ca() != null) {
        b.sslContext(ServerCa.load("--server-ca", t.ca()));
      }
      return b.build();
    });
  }
}
