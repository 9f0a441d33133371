package io.tether.bench;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A one-method gRPC service answering "ok", with plain UTF-8 messages: the benchmark's backend. */
final class Echo {
  private Echo() {}

  static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("tether.bench.Echo/Call")
      .setRequestMarshaller(new Utf8()).setResponseMarshaller(new Utf8()).build();

  static ServerServiceDefinition service() {
    return ServerServiceDefinition.builder("tether.bench.Echo")
        .addMethod(METHOD, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext("ok");
          response.onCompleted();
        }))
        .build();
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
