package io.tether.agent.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the relay remembers of the endpoints it registered (docs/ecs.md "Host ports"): per endpoint, the
 * host address and port it holds, its lease, and when it was remembered (a generation that grows with
 * each registration), so that a clean-up that read the ECS agent before a registration does not take
 * the task of that registration for gone.
 *
 * <p>Thread-safe: every method holds this object's monitor for a moment, and none calls out.
 */
final class HostPorts {
  /** An endpoint, as the registry names it; its id is the ECS task id. */
  record Key(String namespace, String service, String endpointId) {
    @Override
    public String toString() {
      return namespace + "/" + service + "/" + endpointId;
    }
  }

  /** An endpoint remembered: what it holds, and when it was remembered. */
  record Held(Key key, String address, int port, Long leaseId, long generation) {
    String hostPort() {
      return address + ":" + port;
    }
  }

  private final Map<Key, Held> held = new LinkedHashMap<>();
  private long generation;

  /** Remembers (or updates) an endpoint the control plane accepted. */
  synchronized Held remember(Key key, String address, int port, Long leaseId) {
    Held h = new Held(key, address, port, leaseId, ++generation);
    held.put(key, h);
    return h;
  }

  /** The endpoints of tasks other than {@code taskId} that hold {@code address:port}. */
  synchronized List<Held> holdersOf(String address, int port, String taskId) {
    List<Held> out = new ArrayList<>();
    for (Held h : held.values()) {
      if (h.address().equals(address) && h.port() == port && !h.key().endpointId().equals(taskId)) {
        out.add(h);
      }
    }
    return out;
  }

  /** Forgets an endpoint whatever it holds (it was deleted through the relay). */
  synchronized void forget(Key key) {
    held.remove(key);
  }

  /** Forgets an endpoint only if it was not registered again since {@code h} was read. */
  synchronized void forget(Held h) {
    held.remove(h.key(), h);
  }

  /** Forgets the endpoints under a lease (revoking it removed them). */
  synchronized void forgetLease(long leaseId) {
    held.values().removeIf(h -> h.leaseId() != null && h.leaseId() == leaseId);
  }

  /** The generation of the latest registration: endpoints remembered later have a greater one. */
  synchronized long generation() {
    return generation;
  }

  /** The endpoints remembered up to generation {@code g} included. */
  synchronized List<Held> rememberedUpTo(long g) {
    return held.values().stream().filter(h -> h.generation() <= g).toList();
  }

  synchronized List<Held> all() {
    return List.copyOf(held.values());
  }
}
