package io.tether.xds.server;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import java.util.concurrent.ExecutionException;

/**
 * Packs each rendered resource into an {@code Any} once. Keys are compared by identity (weak keys), so
 * the lookup is a pointer hash rather than a deep proto comparison, and an entry lives exactly as long as
 * some snapshot still holds the resource: one version, one serialisation, however many groups and
 * streams are served it.
 */
final class PackOnceSerializer implements ProtoResourcesSerializer {
  private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().build();

  @Override
  public Any serialize(Message resource, ApiVersion apiVersion) {
    try {
      return packed.get(resource, () -> Any.pack(resource));
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot pack " + resource.getDescriptorForType().getFullName(), e);
    }
  }
}
