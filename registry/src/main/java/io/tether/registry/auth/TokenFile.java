package io.tether.registry.auth;

import java.util.List;

/**
 * The token file's shape: {@code {"tokens": [{"name": "ops", "token": "...", "role": "admin"},
 * {"name": "prod-agents", "token": "...", "role": "agent", "namespace": "prod"}]}}.
 */
public record TokenFile(List<Entry> tokens) {
  public record Entry(String name, String token, Role role, String namespace) {}
}
