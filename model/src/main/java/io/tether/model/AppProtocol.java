package io.tether.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The application protocol a service speaks; it decides the proxy's filter chain and HTTP version. */
public enum AppProtocol {
  HTTP, HTTP2, GRPC, TCP;

  /** True for protocols routed through an HTTP connection manager. */
  public boolean isHttp() {
    return this != TCP;
  }

  /** True when the upstream connection must be HTTP/2. */
  public boolean needsHttp2() {
    return this == HTTP2 || this == GRPC;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static AppProtocol fromWire(String value) {
    for (AppProtocol p : values()) {
      if (p.wireName().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("must be one of " + allowed());
  }

  static String allowed() {
    return Arrays.stream(values()).map(AppProtocol::wireName).collect(Collectors.joining(", "));
  }
}
