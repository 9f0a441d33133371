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
  static final class Port extends Range {
    Port() {
      super(1, 65535, "must be a port number (1-65535)");
    }
  }

  /** A port, or 0 for none; out of range is the command's check, which names the choice. */
  static final class PortOrNone extends Range {
    PortOrNone() {
      super(0, Integer.MAX_VALUE, "must be a port number (1-65535), or 0 for none");
    }
  }

  /** A duration in whole seconds, 0 or more. */
  static final class Seconds extends Range {
    Seconds() {
      super(0, Integer.MAX_VALUE, "must be a whole number of seconds");
    }
  }

  /** A lease's TTL: the registry's 2-3600 s. */
  static final class LeaseTtl extends Range {
    LeaseTtl() {
      super(2, 3600, "must be a number of seconds between 2 and 3600");
    }
  }

  /** A duration in whole milliseconds, 0 or more. */
  static final class Millis extends Range {
    Millis() {
      super(0, Integer.MAX_VALUE, "must be a whole number of milliseconds");
    }
  }

  /** How many times: 0 or more. */
  static final class Count extends Range {
    Count() {
      super(0, Integer.MAX_VALUE, "must be a whole number (0 or more)");
    }
  }

  /** An integer from min to max; anything else, a number or not, is said as what is wanted. */
  abstract static class Range implements ITypeConverter<Integer> {
    private final int min;
    private final int max;
    private final String wanted;

    Range(int min, int max, String wanted) {
      this.min = min;
      this.max = max;
      this.wanted = wanted;
    }

    @Override
    public Integer convert(String value) {
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
}
