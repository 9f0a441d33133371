package io.tether.model;

/**
 * A request header (lower-case name) that must equal {@code exact}, start with {@code prefix}, match the RE2
 * expression {@code regex} in full, or be {@code present}: exactly one of them. {@code invert} turns the
 * condition around (e.g. present and inverted: the header is absent).
 */
public record HeaderMatch(String name, String exact, String prefix, String regex, Boolean present, Boolean invert) {
  public boolean inverted() {
    return Boolean.TRUE.equals(invert);
  }
}
