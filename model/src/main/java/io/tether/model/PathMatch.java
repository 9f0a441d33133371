package io.tether.model;

/** A call's path (without its query): exactly one of a prefix, the exact path, or an RE2 expression matching all of it. */
public record PathMatch(String prefix, String exact, String regex) {}
