package io.tether.model;

import com.google.common.net.HostAndPort;

/**
 * A namespace's tracing: its Envoy sidecars send spans over OTLP/gRPC (plaintext) to {@code collector}
 * and start a trace for {@code samplingPercent} of the requests that arrive without a sampled parent.
 * No tracing, no tracer: Envoy then leaves every trace header alone.
 *
 * @param collector {@code HOST:PORT}, the host an IP address ({@code [v6]:port}) or a DNS name
 * @param samplingPercent 0 to 100; null means {@link #DEFAULT_SAMPLING_PERCENT}
 */
public record Tracing(String collector, Double samplingPercent) {
  /** Few enough spans for a busy service, enough to see every path of a quiet one over a day. */
  public static final double DEFAULT_SAMPLING_PERCENT = 1;

  /** This tracing with every default filled in, as {@code ?effective=true} answers it. */
  public Tracing effective() {
    return new Tracing(collector, samplingPercentOrDefault());
  }

  public double samplingPercentOrDefault() {
    return samplingPercent == null ? DEFAULT_SAMPLING_PERCENT : samplingPercent;
  }

  /** The collector's host and port; the collector must have been validated ({@link TracingValidation}). */
  public HostAndPort collectorAddress() {
    return HostAndPort.fromString(collector);
  }
}
