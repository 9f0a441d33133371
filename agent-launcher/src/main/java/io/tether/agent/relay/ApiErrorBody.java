package io.tether.agent.relay;

import io.tether.model.ErrorCode;
import io.tether.model.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry API's error format, {@code {"error": {"code", "message"}}} (README "REST API"), for the
 * answers the relay gives itself: a caller (a task agent's {@code RegistryClient}) reads them as it
 * reads the control plane's own.
 */
public final class ApiErrorBody {
  private ApiErrorBody() {}

  public static byte[] of(ErrorCode code, String message) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("code", code.name());
    detail.put("message", message);
    return Json.write(Map.of("error", detail));
  }
}
