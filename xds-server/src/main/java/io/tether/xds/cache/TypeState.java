package io.tether.xds.cache;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one stream's client holds of one resource type, as far as the server can know: the versions it
 * accepted (of what it still asks for), the response awaiting its ACK or NACK, and the versions it
 * rejected. Rejected versions are never sent again, so a NACK costs one response, not a resend storm; a
 * changed resource is sent again. Guarded by the lock of the stream's group.
 */
final class TypeState {
  final Map<String, String> accepted = new HashMap<>();
  final Map<String, String> rejected = new HashMap<>();
  Map<String, String> sent = Map.of();
  String sentVersion;
  boolean responded;
  String ackedVersion = "";
  Nack lastNack;
  /** The group revision this client was last sent (or, before that, joined at); -1 until it joins. See GroupLedger. */
  long baseline = -1;
  /** When the earliest change the response awaiting a reply carries was received; 0 when it carries none. */
  long sentChangeAt;
  /** Whether the client's last reply was a NACK (the rejected version is not sent again until it changes). */
  boolean nacked;
  /**
   * Names the client must be sent again although it holds their version: Envoy drops the assignment
   * of a cluster it is sent with a change, re-warms the cluster and waits for the assignment without
   * asking for it (xDS "resource warming"). Cleared as they are sent.
   */
  final Set<String> resend = new HashSet<>();

  /** A request answering our last response: an ACK ({@code errorMessage == null}) or a NACK. */
  void onReply(String errorMessage, boolean fullState) {
    if (sentVersion == null) {
      return;
    }
    if (errorMessage != null) {
      rejected.putAll(sent);
      lastNack = new Nack(sentVersion, errorMessage, java.time.Instant.now());
      nacked = true;
    } else {
      if (fullState) {
        accepted.clear();
      }
      accepted.putAll(sent);
      sent.keySet().forEach(rejected::remove);
      ackedVersion = sentVersion;
      nacked = false;
    }
    sent = Map.of();
    sentVersion = null;
  }

  /**
   * The names a state-of-the-world request subscribes to (none: every resource), for a type whose
   * responses carry only what changed. A resource it no longer names is one the client dropped: named
   * again, it is news to the client, changed or not.
   */
  void onSubscribed(Collection<String> names) {
    if (!names.isEmpty()) {
      accepted.keySet().retainAll(new HashSet<>(names));
    }
  }

  /**
   * What /v1/proxies shows (docs/operations.md, "Proxies"): STALE while a response awaits its ACK or
   * none was sent yet, NACKED when the last reply rejected the last response, else SYNCED.
   */
  String sync() {
    if (sentVersion != null || !responded) {
      return "STALE";
    }
    return nacked ? "NACKED" : "SYNCED";
  }

  void onSent(Map<String, String> versions, String version) {
    sent = versions;
    sentVersion = version;
    responded = true;
    resend.removeAll(versions.keySet());
  }

  /** Whether a resource of this version is news to the client, which holds {@code held} (null: nothing). */
  boolean owes(String name, String version, String held) {
    return !version.equals(rejected.get(name)) && (resend.contains(name) || !version.equals(held));
  }
}
