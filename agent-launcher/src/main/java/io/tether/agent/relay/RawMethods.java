package io.tether.agent.relay;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * gRPC methods by name alone, their messages as bytes: the ADS relay passes every message on as it
 * came, without knowing its type (docs/ecs.md: "byte for byte"). The type is UNKNOWN, which gRPC treats
 * as streaming both ways, so unary and streaming methods alike are relayed.
 */
final class RawMethods {
  private RawMethods() {}

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read a relayed message", e);
      }
    }
  };

  static MethodDescriptor<byte[], byte[]> named(String fullMethodName) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNKNOWN)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }
}
