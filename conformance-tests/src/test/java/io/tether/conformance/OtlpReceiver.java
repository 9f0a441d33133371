package io.tether.conformance;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tether.registry.testing.Ports;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small OpenTelemetry collector for tests: an OTLP/gRPC trace receiver (plaintext; Envoy is told 127.0.0.1) that
 * keeps every span it is sent with the {@code service.name} of its resource. The protocol's classes are
 * java-control-plane's (its api jar compiles opentelemetry-proto), so no collector is installed.
 */
final class OtlpReceiver implements AutoCloseable {
  /** A span as received, with its resource's service name. */
  record ReceivedSpan(String serviceName, Span span) {
    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }
  }

  private final List<ReceivedSpan> received = new CopyOnWriteArrayList<>();
  private final Server server;

  private OtlpReceiver() throws IOException {
    server = Grpc.newServerBuilderForPort(Ports.free(), InsecureServerCredentials.create())
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> answer) {
            request.getResourceSpansList().forEach(OtlpReceiver.this::keep);
            answer.onNext(ExportTraceServiceResponse.getDefaultInstance());
            answer.onCompleted();
          }
        })
        .build()
        .start();
  }

  static OtlpReceiver start() throws IOException {
    return new OtlpReceiver();
  }

  /** {@code 127.0.0.1:port}, as a namespace's {@code tracing.collector}. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The spans received so far of the trace {@code traceId} (32 hex digits). */
  List<ReceivedSpan> trace(String traceId) {
    return received.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  List<ReceivedSpan> all() {
    return List.copyOf(received);
  }

  private void keep(ResourceSpans spans) {
    String service = serviceName(spans.getResource());
    for (ScopeSpans scope : spans.getScopeSpansList()) {
      scope.getSpansList().forEach(s -> received.add(new ReceivedSpan(service, s)));
    }
  }

  private static String serviceName(Resource resource) {
    return resource.getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
        .map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
