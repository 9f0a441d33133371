package io.tether.model;

import java.util.regex.Pattern;

/** The naming rules: RFC 1123 labels for namespaces, services and ports; dotted names for aliases. */
public final class Names {
  private Names() {}

  public static final int MAX_LABEL = 63;
  public static final int MAX_DNS_NAME = 253;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern ENDPOINT_ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final int MAX_ENDPOINT_ID = 128;

  public static boolean isLabel(String s) {
    return s != null && s.length() <= MAX_LABEL && LABEL.matcher(s).matches();
  }

  /** A dotted DNS name: one or more labels, 253 characters at most. */
  public static boolean isDnsName(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_DNS_NAME || s.endsWith(".")) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!isLabel(label)) {
        return false;
      }
    }
    return true;
  }

  /** Endpoint ids are task ids, which are not DNS labels (ECS uses hex, others mixed case). */
  public static boolean isEndpointId(String s) {
    return s != null && s.length() <= MAX_ENDPOINT_ID && ENDPOINT_ID.matcher(s).matches();
  }

  /** Checks a name that arrives in a URL path or body; throws with the field named. */
  public static String requireLabel(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidSpecException(field, field + " is required");
    }
    if (!isLabel(value)) {
      throw new InvalidSpecException(field, field + " must be a DNS label (lower-case letters, digits "
          + "and '-', starting and ending with a letter or digit, at most " + MAX_LABEL + " characters)");
    }
    return value;
  }

  public static String requireEndpointId(String field, String value) {
    if (!isEndpointId(value)) {
      throw new InvalidSpecException(field, field + " must be 1 to " + MAX_ENDPOINT_ID
          + " letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
    }
    return value;
  }
}
