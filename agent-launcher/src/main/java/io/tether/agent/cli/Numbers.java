package io.tether.agent.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the agent commands' numeric options, so that a wrong value says what is
 * wanted in the project's words ({@code '--app-port': 'abc' must be a port number (1-65535)}) rather
 * than picocli's Java type names ({@code 'abc' is not an int}). Checks that need the option's context
 * (the metrics port against the other ports, inject's drain limit) stay with the commands.
 */
final class Numbers {
  private Numbers() {}

  /** A port something listens on: 1-65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, 1, 65535, "must be a port number (1-65535)");
    }
  }

  /** A port, or 0 for none; out of range is the command's check, which names the choice. */
  static final class PortOrNone implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, 0, Integer.MAX_VALUE, "must be a port number (1-65535), or 0 for none");
    }
  }

  /** A duration in whole seconds, 0 or more. */
  static final class Seconds implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, 0, Integer.MAX_VALUE, "must be a whole number of seconds");
    }
  }

  /** A lease's TTL: the registry's 2-3600 s. */
  static final class LeaseTtl implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, 2, 3600, "must be a number of seconds between 2 and 3600");
    }
  }

  /** A duration in whole milliseconds, 0 or more. */
  static final class Millis implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, 0, Integer.MAX_VALUE, "must be a whole number of milliseconds");
    }
  }

  /** How many times: 0 or more. */
  static final class Count implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, 0, Integer.MAX_VALUE, "must be a whole number (0 or more)");
    }
  }

  private static int parse(String value, int min, int max, String wanted) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // not a number at all: said the same way as one out of range
    }
    throw new TypeConversionException("'" + value + "' " + wanted);
  }
}
