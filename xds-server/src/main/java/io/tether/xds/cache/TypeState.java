package io.tether.xds.cache;

import java.util.HashMap;
import java.util.Map;

/**
 * What one stream's client holds of one resource type, as far as the server can know: the versions it
 * accepted, the response awaiting its ACK or NACK, and the versions it rejected. Rejected versions
 * are never sent again, so a NACK costs one response, not a resend storm; a changed resource is sent
 * again. Guarded by the lock of the stream's group.
 */
final class TypeState {
  final Map<String, String> accepted = new HashMap<>();
  final Map<String, String> rejected = new HashMap<>();
  Map<String, String> sent = Map.of();
  String sentVersion;
  boolean responded;
  String ackedVersion = "";
  Nack lastNack;

  /** A request answering our last response: an ACK ({@code errorMessage == null}) or a NACK. */
  void onReply(String errorMessage, boolean fullState) {
    if (sentVersion == null) {
      return;
    }
    if (errorMessage != null) {
      rejected.putAll(sent);
      lastNack = new Nack(sentVersion, errorMessage, java.time.Instant.now());
    } else {
      if (fullState) {
        accepted.clear();
      }
      accepted.putAll(sent);
      sent.keySet().forEach(rejected::remove);
      ackedVersion = sentVersion;
    }
    sent = Map.of();
    sentVersion = null;
  }

  void onSent(Map<String, String> versions, String version) {
    sent = versions;
    sentVersion = version;
    responded = true;
  }
}
