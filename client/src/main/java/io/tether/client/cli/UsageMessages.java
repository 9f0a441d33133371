package io.tether.client.cli;

import io.tether.model.json.FieldSuggestion;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Picocli's usage errors in the user's words (docs/cli.md "Errors"): "unknown command 'x'" rather than
 * "Unmatched argument at index 0", a suggestion only when one is close (as for unknown fields), and no
 * Java type names ("'x' is not a whole number", not "is not an int").
 */
final class UsageMessages {
  private UsageMessages() {}

  /** Whole numbers in words; picocli's own converters say "'x' is not an int". */
  static void registerConverters(CommandLine cli) {
    ITypeConverter<Integer> ints = v -> {
      try {
        return Integer.valueOf(v.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + v + "' is not a whole number");
      }
    };
    ITypeConverter<Long> longs = v -> {
      try {
        return Long.valueOf(v.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + v + "' is not a whole number");
      }
    };
    cli.registerConverter(Integer.class, ints).registerConverter(Integer.TYPE, ints)
        .registerConverter(Long.class, longs).registerConverter(Long.TYPE, longs);
  }

  static String of(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      return unmatched(e.getCommandLine(), u.getUnmatched());
    }
    if (e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null) {
      // A positional value's converter names what it wants; an option's value is named by the option.
      return e.getArgSpec().isOption()
          ? "invalid value for " + ((CommandLine.Model.OptionSpec) e.getArgSpec()).longestName() + ": " + t.getMessage()
          : t.getMessage();
    }
    return e.getMessage();
  }

  private static String unmatched(CommandLine cmd, List<String> args) {
    String first = args.get(0);
    if (first.startsWith("-")) {
      List<Object> names = cmd.getCommandSpec().options().stream().filter(o -> !o.hidden())
          .flatMap(o -> List.of(o.names()).stream()).collect(Collectors.toList());
      String bare = first.replaceFirst("=.*", "");
      return "unknown option '" + bare + "'" + suggestion(bare, names);
    }
    if (!cmd.getSubcommands().isEmpty()) {
      List<Object> names = List.copyOf(cmd.getSubcommands().keySet());
      return "unknown command '" + first + "'" + suggestion(first, names);
    }
    return "unexpected argument" + (args.size() > 1 ? "s " : " ")
        + args.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
  }

  /** " (did you mean X?)" when a name is close to what was typed, else nothing. */
  private static String suggestion(String typed, List<Object> names) {
    Optional<String> close = FieldSuggestion.closest(typed, names);
    return close.map(n -> " (did you mean " + n + "?)").orElse("");
  }
}
