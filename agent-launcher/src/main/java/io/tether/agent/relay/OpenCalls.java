package io.tether.agent.relay;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The relayed calls in flight, so that stopping the relay can end each one. Thread-safe. */
final class OpenCalls {
  private final Set<RelayCall> calls = ConcurrentHashMap.newKeySet();

  void add(RelayCall call) {
    calls.add(call);
  }

  void remove(RelayCall call) {
    calls.remove(call);
  }

  int size() {
    return calls.size();
  }

  /** Stops every call in flight; each ends with UNAVAILABLE to its caller. */
  void stopAll() {
    for (RelayCall call : List.copyOf(calls)) {
      call.stop();
    }
  }
}
