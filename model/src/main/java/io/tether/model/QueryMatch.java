package io.tether.model;

/** A query parameter that must equal {@code exact}, start with {@code prefix}, match {@code regex} in full, or be {@code present}. */
public record QueryMatch(String name, String exact, String prefix, String regex, Boolean present) {}
