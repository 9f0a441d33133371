package io.tether.agent.relay;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs requests refused for their source: the first from each address at WARN (it is usually a
 * misconfigured {@code allowedSources} or a stranger on the bridge), later ones at DEBUG, since a
 * refused Envoy retries every second or so. Thread-safe.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);
  private static final int REMEMBERED = 1024;

  private final Set<InetAddress> warned = ConcurrentHashMap.newKeySet();

  void refused(String relay, InetAddress source, SourceFilter allowed) {
    if (warned.size() < REMEMBERED && warned.add(source)) {
      log.warn("{}: refused a request from {}, which is outside allowedSources [{}]", relay, source, allowed.describe());
    } else {
      log.debug("{}: refused a request from {}", relay, source);
    }
  }
}
