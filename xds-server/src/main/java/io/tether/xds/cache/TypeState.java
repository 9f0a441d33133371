package io.tether.xds.cache;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
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
  /**
   * Equal holdings are one map: in a settled group every stream holds the same names at the same
   * versions, so thousands of streams share a few maps instead of each keeping its own (docs/scale.md).
   */
  private static final Interner<Map<String, String>> HOLDINGS = Interners.newWeakInterner();

  /** State-of-the-world only: what the client accepted, name to version (a delta stream's is java-control-plane's). */
  private Map<String, String> accepted = Map.of();
  final Map<String, String> rejected = new HashMap<>();
  Map<String, String> sent = Map.of();
  String sentVersion;
  boolean responded;
  String ackedVersion = "";
  Nack lastNack;
  /** The group revision this client was last sent (or, before that, joined at); -1 until it joins. See GroupLedger. */
  long baseline = -1;
  /**
   * The resources of this type the stream's last plan covered, when it covered all of them: everything
   * of it the client subscribes to was then held, sent or rejected. Null when unknown (a plan of changed
   * names only, after updates the stream missed while it had no watch).
   */
  TypeResources planned;
  /** When the earliest change the response awaiting a reply carries was received; 0 when it carries none. */
  long sentChangeAt;
  /** Whether that response is counted in the cache's changes in flight (CacheMeters). */
  boolean changeInFlight;
  /** Whether the client's last reply was a NACK (the rejected version is not sent again until it changes). */
  boolean nacked;
  /**
   * Names the client must be sent again although it holds their version: Envoy drops the assignment
   * of a cluster it is sent with a change, re-warms the cluster and waits for the assignment without
   * asking for it (xDS "resource warming"). Cleared as they are sent.
   */
  final Set<String> resend = new HashSet<>();

  Map<String, String> accepted() {
    return accepted;
  }

  /** A state-of-the-world request answering our last response: an ACK ({@code errorMessage == null}) or a NACK. */
  void onReply(String errorMessage, boolean fullState) {
    boolean news = fullState || !accepted.entrySet().containsAll(sent.entrySet());
    if (sentVersion != null && errorMessage == null && news) {
      Map<String, String> now = new HashMap<>(fullState ? Map.of() : accepted);
      now.putAll(sent);
      accepted = hold(now);
    }
    onDeltaReply(errorMessage);
  }

  /** A delta request answering our last response: as {@link #onReply}, java-control-plane tracking what is held. */
  void onDeltaReply(String errorMessage) {
    if (sentVersion == null) {
      return;
    }
    if (errorMessage != null) {
      rejected.putAll(sent);
      lastNack = new Nack(sentVersion, errorMessage, java.time.Instant.now());
      nacked = true;
    } else {
      sent.keySet().forEach(rejected::remove);
      ackedVersion = sentVersion;
      nacked = false;
    }
    sent = Map.of();
    sentVersion = null;
  }

  /** A client on a new stream that already runs these versions (see SotwWatch): it holds them. */
  void adopt(Map<String, String> held) {
    accepted = hold(held);
  }

  /**
   * The names a state-of-the-world request subscribes to (none: every resource), for a type whose
   * responses carry only what changed. A resource it no longer names is one the client dropped: named
   * again, it is news to the client, changed or not.
   */
  void onSubscribed(Collection<String> names) {
    if (names.isEmpty()) {
      return;
    }
    Set<String> subscribed = new HashSet<>(names);
    if (!subscribed.containsAll(accepted.keySet())) {
      Map<String, String> kept = new HashMap<>(accepted);
      kept.keySet().retainAll(subscribed);
      accepted = hold(kept);
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

  private static Map<String, String> hold(Map<String, String> versions) {
    return HOLDINGS.intern(ImmutableMap.copyOf(versions));
  }

  /** Whether a resource of this version is news to the client, which holds {@code held} (null: nothing). */
  boolean owes(String name, String version, String held) {
    return !version.equals(rejected.get(name)) && (resend.contains(name) || !version.equals(held));
  }
}
