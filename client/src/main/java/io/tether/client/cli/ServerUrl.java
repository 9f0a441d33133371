package io.tether.client.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The one way every command reads the API address ({@code --server}, {@code TETHER_SERVER}, a
 * context's {@code server}): {@code HOST:PORT} (meaning http), or an http or https URL with a host
 * and nothing after the port. Anything else is refused with the accepted forms (docs/cli.md).
 */
public final class ServerUrl {
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):(\\d{1,5})");

  private ServerUrl() {}

  /**
   * The URL to call, e.g. {@code http://10.0.0.5:8700} for {@code 10.0.0.5:8700}.
   *
   * @param option what to name in the message ({@code --server}, {@code TETHER_SERVER}, …)
   * @throws IllegalArgumentException saying what was wrong and what is accepted
   */
  public static String parse(String option, String value) {
    String v = value == null ? "" : value.strip();
    if (!v.contains("://")) {
      var m = HOST_PORT.matcher(v);
      if (!m.matches() || !validPort(m.group(2))) {
        throw refused(option, value);
      }
      return "http://" + v;
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw refused(option, value);
    }
    boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    boolean bare = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
        && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
    if (!web || uri.getHost() == null || !bare) {
      throw refused(option, value);
    }
    return uri.getScheme().toLowerCase() + "://" + uri.getRawAuthority();
  }

  /**
   * A {@code HOST:PORT} value (IPv6 in brackets), as given; anything else is refused naming the option.
   */
  public static String requireHostPort(String option, String value) {
    var m = HOST_PORT.matcher(value == null ? "" : value);
    if (!m.matches() || !validPort(m.group(2))) {
      throw new IllegalArgumentException(option + " '" + value + "' must be HOST:PORT (e.g. tether.internal:18000, "
          + "10.0.0.5:18000 or [fd00::5]:18000)");
    }
    return value;
  }

  private static boolean validPort(String port) {
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535;
  }

  private static IllegalArgumentException refused(String option, String value) {
    return new IllegalArgumentException(option + " '" + value + "' must be HOST:PORT or http(s)://HOST:PORT "
        + "(e.g. 127.0.0.1:8700, http://tether.internal:8700 or https://[fd00::5]:8700)");
  }
}
