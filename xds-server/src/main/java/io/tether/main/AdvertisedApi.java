package io.tether.main;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;

/**
 * The URL other replicas reach this replica's REST API at ({@code --advertise-api}): given, or
 * {@code http://HOST:PORT} where HOST is the API's bind address, or, when it binds every address, the
 * first non-loopback IPv4 address of an interface that is up (the host name may resolve to 127.0.1.1).
 */
final class AdvertisedApi {
  private AdvertisedApi() {}

  static String of(String given, String apiHost, int apiPort) {
    if (given != null) {
      return given.replaceAll("/+$", "");
    }
    boolean wildcard = apiHost.isEmpty() || apiHost.equals("0.0.0.0") || apiHost.equals("::");
    String host = wildcard ? firstAddress() : apiHost;
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + apiPort;
  }

  /** Null when the URL is one a peer can call (http or https with a host), else what is wrong with it. */
  static String problem(String url) {
    try {
      URI u = new URI(url);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        return "--advertise-api must be an http:// or https:// URL with a host, e.g. http://10.0.0.5:8700";
      }
      return u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/") ? null
          : "--advertise-api takes no path (peers add /v1/...), e.g. http://10.0.0.5:8700";
    } catch (java.net.URISyntaxException e) {
      return "--advertise-api is not a URL: " + e.getMessage();
    }
  }

  private static String firstAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces to read: loopback below
    }
    return "127.0.0.1";
  }
}
