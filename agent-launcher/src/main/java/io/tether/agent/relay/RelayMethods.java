package io.tether.agent.relay;

import io.grpc.Channel;
import io.grpc.HandlerRegistry;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every gRPC method, whatever its name, relayed to the control plane: the ADS relay's fallback
 * registry, so that ADS (SotW and delta) and anything a later xDS client calls pass alike. A method's
 * definition is made once per name. Thread-safe.
 */
final class RelayMethods extends HandlerRegistry {
  /** Names a client can send are unbounded; past this many, definitions are made afresh per call. */
  private static final int CACHED = 256;

  private final Map<String, ServerMethodDefinition<byte[], byte[]>> methods = new ConcurrentHashMap<>();
  private final ServerCallHandler<byte[], byte[]> handler;

  RelayMethods(Channel upstream, String token, OpenCalls open) {
    this.handler = (call, headers) -> RelayCall.start(call, headers, upstream, token, open);
  }

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    ServerMethodDefinition<byte[], byte[]> known = methods.get(methodName);
    if (known != null) {
      return known;
    }
    ServerMethodDefinition<byte[], byte[]> made = ServerMethodDefinition.create(RawMethods.named(methodName), handler);
    if (methods.size() < CACHED) {
      methods.putIfAbsent(methodName, made);
    }
    return made;
  }
}
