package io.tether.conformance;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC backend (on every interface) whose methods answer with the backend's name. It can be told
 * to answer slowly, to fail first attempts with UNAVAILABLE (grpc-java marks retries with the
 * {@code grpc-previous-rpc-attempts} header), or to fail every call. It counts the calls it saw.
 */
final class EchoBackend implements AutoCloseable {
  static final MethodDescriptor<String, String> CALL = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("tether.test.Echo/Call")
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  /** A second method, answered alike: a route rule on the path can tell the two apart. */
  static final MethodDescriptor<String, String> OTHER = CALL.toBuilder().setFullMethodName("tether.test.Echo/Other").build();

  private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
      Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Integer> ATTEMPT = Context.key("attempt");

  final String name;
  private final Server server;
  private final ScheduledExecutorService timer;
  final AtomicInteger calls = new AtomicInteger();
  volatile long delayMs;
  volatile int failAttemptsBelow;
  volatile boolean failAll;

  EchoBackend(String name, ScheduledExecutorService timer) {
    this(name, timer, 0, false);
  }

  /**
   * A backend on {@code port} of every interface (0: any free port), also serving grpc.health.v1 as
   * SERVING when {@code withHealth}.
   */
  EchoBackend(String name, ScheduledExecutorService timer, int port, boolean withHealth) {
    this.name = name;
    this.timer = timer;
    ServerInterceptor attempts = new ServerInterceptor() {
      @Override
      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
          io.grpc.ServerCallHandler<Q, R> next) {
        String previous = headers.get(PREVIOUS_ATTEMPTS);
        int attempt = previous == null ? 0 : Integer.parseInt(previous);
        return Contexts.interceptCall(Context.current().withValue(ATTEMPT, attempt), call, headers, next);
      }
    };
    ServerServiceDefinition service = ServerServiceDefinition.builder("tether.test.Echo")
        .addMethod(OTHER, ServerCalls.asyncUnaryCall((request, response) -> {
          calls.incrementAndGet();
          response.onNext(name);
          response.onCompleted();
        }))
        .addMethod(CALL, ServerCalls.asyncUnaryCall((request, response) -> {
          calls.incrementAndGet();
          if (failAll || ATTEMPT.get() < failAttemptsBelow) {
            response.onError(Status.UNAVAILABLE.withDescription(name + " fails this attempt").asRuntimeException());
            return;
          }
          Runnable answer = () -> {
            response.onNext(name);
            response.onCompleted();
          };
          if (delayMs > 0) {
            timer.schedule(answer, delayMs, TimeUnit.MILLISECONDS);
          } else {
            answer.run();
          }
        }))
        .build();
    try {
      io.grpc.ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
          .addService(io.grpc.ServerInterceptors.intercept(service, attempts));
      if (withHealth) {
        builder.addService(new io.grpc.protobuf.services.HealthStatusManager().getHealthService());
      }
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /** Stops taking new calls and lets calls in flight finish (at most {@code millis}). */
  void shutdownGracefully(long millis) throws InterruptedException {
    server.shutdown().awaitTermination(millis, TimeUnit.MILLISECONDS);
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
