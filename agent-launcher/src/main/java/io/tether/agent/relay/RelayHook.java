package io.tether.agent.relay;

/**
 * What the host agent does around the REST requests it relays (docs/ecs.md "Host ports": it follows the
 * endpoints the tasks register). Called on the request's thread, which waits for it; implementations
 * must be thread-safe, since requests are relayed concurrently.
 */
public interface RelayHook {
  RelayHook NONE = new RelayHook() {
    @Override
    public void beforeForward(RelayedRequest request) {}

    @Override
    public void afterForward(RelayedRequest request, int status) {}
  };

  /** Before the request goes to the control plane. */
  void beforeForward(RelayedRequest request);

  /** After the control plane answered it with {@code status}; not called when it did not answer. */
  void afterForward(RelayedRequest request, int status);
}
