package io.tether.xds.render;

import com.google.common.net.InetAddresses;
import com.google.protobuf.ByteString;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/** protoc-gen-validate's string and bytes rules. Lengths count code points, *_bytes count UTF-8 bytes. */
final class PgvStrings {
  private PgvStrings() {}

  // The header regexes exactly as protoc-gen-validate defines them.
  private static final Pattern HEADER_NAME = Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$");
  private static final Pattern HEADER_VALUE = Pattern.compile("^[^\\u0000-\\u0008\\u000A-\\u001F\\u007F]*$");
  private static final Pattern HEADER_LOOSE = Pattern.compile("^[^\\u0000\\u000A\\u000D]*$");
  private static final Pattern UUID = Pattern.compile(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

  static void checkString(String s, StringRules r, String path, List<String> out) {
    if (r.getIgnoreEmpty() && s.isEmpty()) {
      return;
    }
    long chars = s.codePointCount(0, s.length());
    long bytes = s.getBytes(StandardCharsets.UTF_8).length;
    String at = path + ": '" + s + "' ";
    if (r.hasConst() && !r.getConst().equals(s)) out.add(at + "must be '" + r.getConst() + "'");
    if (r.hasLen() && chars != r.getLen()) out.add(at + "must be " + r.getLen() + " characters");
    if (r.hasMinLen() && chars < r.getMinLen()) out.add(at + "needs at least " + r.getMinLen() + " characters");
    if (r.hasMaxLen() && chars > r.getMaxLen()) out.add(at + "allows at most " + r.getMaxLen() + " characters");
    if (r.hasLenBytes() && bytes != r.getLenBytes()) out.add(at + "must be " + r.getLenBytes() + " bytes");
    if (r.hasMinBytes() && bytes < r.getMinBytes()) out.add(at + "needs at least " + r.getMinBytes() + " bytes");
    if (r.hasMaxBytes() && bytes > r.getMaxBytes()) out.add(at + "allows at most " + r.getMaxBytes() + " bytes");
    if (r.hasPattern() && !Pattern.compile(r.getPattern()).matcher(s).find()) out.add(at + "must match " + r.getPattern());
    if (r.hasPrefix() && !s.startsWith(r.getPrefix())) out.add(at + "must start with '" + r.getPrefix() + "'");
    if (r.hasSuffix() && !s.endsWith(r.getSuffix())) out.add(at + "must end with '" + r.getSuffix() + "'");
    if (r.hasContains() && !s.contains(r.getContains())) out.add(at + "must contain '" + r.getContains() + "'");
    if (r.hasNotContains() && s.contains(r.getNotContains())) out.add(at + "must not contain '" + r.getNotContains() + "'");
    if (r.getInCount() > 0 && !r.getInList().contains(s)) out.add(at + "must be one of " + r.getInList());
    if (r.getNotInList().contains(s)) out.add(at + "must not be one of " + r.getNotInList());
    String wellKnown = wellKnown(s, r);
    if (wellKnown != null) out.add(at + "must be " + wellKnown);
  }

  /** Null when {@code s} is of the well-known form the rules ask for (or they ask for none). */
  private static String wellKnown(String s, StringRules r) {
    return switch (r.getWellKnownCase()) {
      case EMAIL -> r.getEmail() && !EMAIL.matcher(s).matches() ? "an email address" : null;
      case HOSTNAME -> r.getHostname() && !isHostname(s) ? "a hostname" : null;
      case IP -> r.getIp() && !InetAddresses.isInetAddress(s) ? "an IP address" : null;
      case IPV4 -> r.getIpv4() && !(parse(s) instanceof Inet4Address) ? "an IPv4 address" : null;
      case IPV6 -> r.getIpv6() && !(parse(s) instanceof Inet6Address) ? "an IPv6 address" : null;
      case URI -> r.getUri() && !isUri(s, true) ? "an absolute URI" : null;
      case URI_REF -> r.getUriRef() && !isUri(s, false) ? "a URI reference" : null;
      case ADDRESS -> r.getAddress() && !(isHostname(s) || InetAddresses.isInetAddress(s)) ? "a hostname or IP" : null;
      case UUID -> r.getUuid() && !UUID.matcher(s).matches() ? "a UUID" : null;
      case WELL_KNOWN_REGEX -> headerMismatch(s, r.getWellKnownRegex(), r.getStrict());
      case WELLKNOWN_NOT_SET -> null;
    };
  }

  private static String headerMismatch(String s, KnownRegex regex, boolean strict) {
    Pattern p = switch (regex) {
      case HTTP_HEADER_NAME -> strict ? HEADER_NAME : HEADER_LOOSE;
      case HTTP_HEADER_VALUE -> strict ? HEADER_VALUE : HEADER_LOOSE;
      default -> null;
    };
    return p == null || p.matcher(s).matches() ? null : "a valid " + regex;
  }

  /** RFC 1123 as protoc-gen-validate checks it: ≤ 253 characters, labels of 1–63 [A-Za-z0-9-], no edge hyphens. */
  static boolean isHostname(String s) {
    String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
          || !label.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress parse(String s) {
    return InetAddresses.isInetAddress(s) ? InetAddresses.forString(s) : null;
  }

  private static boolean isUri(String s, boolean absolute) {
    try {
      return !absolute || new URI(s).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static void checkBytes(ByteString b, BytesRules r, String path, List<String> out) {
    if (r.getIgnoreEmpty() && b.isEmpty()) {
      return;
    }
    String at = path + ": " + b.size() + " bytes ";
    String latin1 = b.toString(StandardCharsets.ISO_8859_1); // byte for byte, so regexes see every byte
    if (r.hasConst() && !r.getConst().equals(b)) out.add(at + "must equal the const");
    if (r.hasLen() && b.size() != r.getLen()) out.add(at + "must be " + r.getLen() + " bytes");
    if (r.hasMinLen() && b.size() < r.getMinLen()) out.add(at + "needs at least " + r.getMinLen());
    if (r.hasMaxLen() && b.size() > r.getMaxLen()) out.add(at + "allows at most " + r.getMaxLen());
    if (r.hasPattern() && !Pattern.compile(r.getPattern()).matcher(latin1).find()) {
      out.add(at + "must match " + r.getPattern());
    }
    if (r.hasPrefix() && !b.startsWith(r.getPrefix())) out.add(at + "must start with the prefix");
    if (r.hasSuffix() && !b.endsWith(r.getSuffix())) out.add(at + "must end with the suffix");
    if (r.hasContains() && !latin1.contains(r.getContains().toString(StandardCharsets.ISO_8859_1))) {
      out.add(at + "must contain the given bytes");
    }
    if (r.getInCount() > 0 && !r.getInList().contains(b)) out.add(at + "must be one of the listed values");
    if (r.getNotInList().contains(b)) out.add(at + "must not be one of the listed values");
    switch (r.getWellKnownCase()) {
      case IP -> { if (r.getIp() && b.size() != 4 && b.size() != 16) out.add(at + "must be an IP address"); }
      case IPV4 -> { if (r.getIpv4() && b.size() != 4) out.add(at + "must be an IPv4 address"); }
      case IPV6 -> { if (r.getIpv6() && b.size() != 16) out.add(at + "must be an IPv6 address"); }
      default -> { }
    }
  }
}
