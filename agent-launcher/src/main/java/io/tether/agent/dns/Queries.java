package io.tether.agent.dns;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * What UDP and TCP share: parsing a query, answering it from the alias table, or forwarding it.
 * Thread-safe if the names supplier is: the UDP loop and the TCP threads call it concurrently.
 */
final class Queries {
  private static final Logger log = LoggerFactory.getLogger(Queries.class);

  private final Supplier<Map<String, String>> names;
  private final Forwarder forwarder;

  Queries(Supplier<Map<String, String>> names, Forwarder forwarder) {
    this.names = names;
    this.forwarder = forwarder;
  }

  /**
   * The query in {@code wire}, or null for a packet to drop: one that does not parse, and a response.
   * Forwarding a response would let two misconfigured servers bounce it between them forever.
   */
  Message parse(byte[] wire, SocketAddress from) {
    try {
      Message query = new Message(wire);
      if (query.getHeader().getFlag(Flags.QR)) {
        log.debug("dropped a DNS response from {}: we take queries only", from);
        return null;
      }
      return query;
    } catch (IOException | RuntimeException e) {
      log.debug("dropped a malformed DNS message of {} bytes from {}: {}", wire.length, from, e.toString());
      return null;
    }
  }

  /** Our answer when the name is an alias (reading the table now), else null. Never blocks. */
  byte[] local(Message query) {
    Map<String, String> table = names.get();
    Message answer = AliasAnswers.answer(query, table == null ? Map.of() : table);
    return answer == null ? null : answer.toWire();
  }

  /** The upstreams' answer, or SERVFAIL. Blocks for up to the timeout per upstream. */
  byte[] forwarded(byte[] wire, Message query, boolean tcp) {
    byte[] answer = forwarder.forward(wire, query, tcp);
    return answer != null ? answer : AliasAnswers.servfail(query).toWire();
  }
}
