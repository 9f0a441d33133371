package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testbed.NetnsHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An HTTP GET made from inside a test host, for what only that host reaches (its 127.0.0.1:51678, a container
 * address on its bridge) or to prove a path from there (another host's DNAT'd port). bash's {@code /dev/tcp}
 * speaks HTTP/1.0 over a plain socket, so nothing beyond bash is needed in the host.
 */
public final class NetnsHttp {
  private static final String GET = "exec 3<>/dev/tcp/\"$1\"/\"$2\" || exit 7; "
      + "printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' \"$3\" \"$1\" >&3; cat <&3";

  /** A response: its status (0: no connection) and body. */
  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return GoJson.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }
  }

  private NetnsHttp() {}

  /** {@code GET http://ADDRESS:PORT/PATH} made in {@code from} (5 s at most). */
  public static Response get(NetnsHosts hosts, NetnsHosts.Host from, String address, int port, String path) {
    List<String> command = hosts.exec(from, List.of(Commands.TIMEOUT, "5", Commands.BASH, "-c", GET, "bash", address,
        Integer.toString(port), path));
    Commands.Result r = Commands.here().attempt(command.toArray(String[]::new));
    return parse(r.output());
  }

  static Response parse(String raw) {
    if (!raw.startsWith("HTTP/")) {
      return new Response(0, raw);
    }
    int lineEnd = raw.indexOf("\r\n");
    String[] status = raw.substring(0, lineEnd < 0 ? raw.length() : lineEnd).split(" ");
    int headersEnd = raw.indexOf("\r\n\r\n");
    String body = headersEnd < 0 ? "" : raw.substring(headersEnd + 4);
    return new Response(Integer.parseInt(status[1]), body);
  }
}
