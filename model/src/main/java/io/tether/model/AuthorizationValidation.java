package io.tether.model;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules an authorization rule must satisfy before it may reach etcd (docs/security.md
 * "Authorization"); each check throws {@link InvalidSpecException} naming the field by its JSON path.
 */
public final class AuthorizationValidation {
  static final int MAX_HTTP = 16;
  static final int MAX_PATHS = 32;
  static final int MAX_METHODS = 16;
  static final int MAX_PATH = 256;

  private AuthorizationValidation() {}

  /**
   * The rule as it is stored (named as its path says). {@code callee} is the protocol of the service
   * {@code to} names, or null when no such service exists yet: {@code http} is refused for a tcp callee.
   */
  public static Authorization rule(String pathName, Authorization rule, AppProtocol callee) {
    Names.requireLabel("name", pathName);
    if (rule.name() != null && !rule.name().equals(pathName)) {
      throw new InvalidSpecException("name", "name '" + rule.name() + "' does not match the path '" + pathName + "'");
    }
    from(rule.from());
    Names.requireLabel("to", rule.to());
    http(rule.http(), callee);
    return rule.withName(pathName);
  }

  /**
   * {@code *}, a service of the rule's namespace, or a caller of another namespace as {@code ns/svc} or
   * {@code ns/*} (README "Exports and imports": such a caller gets past the namespace wall only when the
   * callee is exported to its namespace).
   */
  private static void from(String from) {
    if (Authorization.ANY_CALLER.equals(from)) {
      return;
    }
    int slash = from == null ? -1 : from.indexOf('/');
    if (slash < 0) {
      Names.requireLabel("from", from);
      return;
    }
    String ns = from.substring(0, slash);
    String svc = from.substring(slash + 1);
    if (!Names.isLabel(ns) || !(Names.isLabel(svc) || Authorization.ANY_CALLER.equals(svc))) {
      throw new InvalidSpecException("from", "from must be '*', a service of the namespace, or 'namespace/service'"
          + " or 'namespace/*' of another namespace (DNS labels), was '" + from + "'");
    }
  }

  private static void http(List<HttpMatch> http, AppProtocol callee) {
    if (http.isEmpty()) {
      return;
    }
    if (callee == AppProtocol.TCP) {
      throw new InvalidSpecException("http", "http matches need an http, http2 or grpc service; 'to' is a tcp service");
    }
    if (http.size() > MAX_HTTP) {
      throw new InvalidSpecException("http", "http holds at most " + MAX_HTTP + " entries");
    }
    for (int i = 0; i < http.size(); i++) {
      String field = "http[" + i + "]";
      HttpMatch match = http.get(i);
      if (match == null) {
        throw new InvalidSpecException(field, field + " must be an object");
      }
      if (match.paths() == null && match.methods() == null) {
        throw new InvalidSpecException(field, field + " must list paths, methods or both");
      }
      if (match.paths() != null) {
        paths(field + ".paths", match.paths());
      }
      if (match.methods() != null) {
        methods(field + ".methods", match.methods());
      }
    }
  }

  private static void paths(String field, List<String> paths) {
    if (paths.isEmpty()) {
      throw new InvalidSpecException(field, field + " must list at least one path (leave it out for any path)");
    }
    if (paths.size() > MAX_PATHS) {
      throw new InvalidSpecException(field, field + " holds at most " + MAX_PATHS + " paths");
    }
    for (int i = 0; i < paths.size(); i++) {
      path(field + "[" + i + "]", paths.get(i));
    }
  }

  /** An origin-form path without query or fragment; a {@code *} only as the last character (a prefix). */
  static void path(String field, String path) {
    if (path == null || !path.startsWith("/") || path.length() > MAX_PATH) {
      throw new InvalidSpecException(field, field + " must start with '/' and be at most " + MAX_PATH + " characters");
    }
    int star = path.indexOf('*');
    if (star >= 0 && star != path.length() - 1) {
      throw new InvalidSpecException(field, field + " may hold '*' only at its end (a prefix), was '" + path + "'");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '?' || c == '#') {
        throw new InvalidSpecException(field, field
            + " must be printable ASCII without spaces, '?' or '#' (Envoy matches the path without its query)");
      }
    }
  }

  static void methods(String field, List<String> methods) {
    if (methods.isEmpty()) {
      throw new InvalidSpecException(field, field + " must list at least one method (leave it out for any method)");
    }
    if (methods.size() > MAX_METHODS) {
      throw new InvalidSpecException(field, field + " holds at most " + MAX_METHODS + " methods");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < methods.size(); i++) {
      String entry = field + "[" + i + "]";
      String method = methods.get(i);
      if (method == null) {
        throw new InvalidSpecException(entry, entry + " must be a string, not null");
      }
      Validation.token(entry, method);
      if (!method.equals(method.toUpperCase(Locale.ROOT))) {
        throw new InvalidSpecException(entry, entry + " must be in upper case (methods are case-sensitive), was '"
            + method + "'");
      }
      if (!seen.add(method)) {
        throw new InvalidSpecException(entry, "method " + method + " is listed twice");
      }
    }
  }
}
