package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bound is never below the program size Envoy's RE2 reports for the same regex. The sizes were
 * measured with Envoy 1.40: {@code envoy --mode validate} of a route with the regex, with runtime
 * {@code re2.max_program_size.error_level} 1, names the size in its error. They cover literals, ASCII and
 * Unicode classes, case folding, '.', anchors, alternations and counted repetitions.
 */
class RegexProgramSizeTest {
  static Stream<Arguments> measuredByEnvoy() {
    return Stream.of(
        // regex, Envoy's size
        Arguments.of("/users/[a-z0-9-]{1,20}", 90),
        Arguments.of("/users/[a-z0-9-]{1,25}", 110),
        Arguments.of("/users/[a-z0-9-]{1,64}", 266),
        Arguments.of("/users/[a-z0-9-]+", 15),
        Arguments.of("/users/[^/]+", 14),
        Arguments.of("/users/[^/]+/orders/[0-9]+", 24),
        Arguments.of("/api/v[12]/.*", 14),
        Arguments.of(".*", 6),
        Arguments.of("(?s).*", 6),
        Arguments.of("/a|/b|/c", 6),
        Arguments.of("/(foo|bar|baz)/[0-9]{3}", 18),
        Arguments.of("(?i)/users/admin", 16),
        Arguments.of("(?i)/kelvin/skip", 16),
        Arguments.of("[\\p{L}]+", 12),
        Arguments.of("\\pL{1,3}", 27),
        Arguments.of("[^a]{1,10}", 33),
        Arguments.of("\\w+", 8),
        Arguments.of("\\d{4}-\\d{2}-\\d{2}", 14),
        Arguments.of("\\bfoo\\b", 9),
        Arguments.of("^/a$", 4),
        Arguments.of("/x?y?z?w?v?u?", 17),
        Arguments.of("(a*)*", 11),
        Arguments.of("(a?){10}", 44),
        Arguments.of("(a|b|c|d|e|f)*", 7),
        Arguments.of("[a-f0-9]{32}", 68),
        Arguments.of("[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}", 72),
        Arguments.of("/é/ü/ñ", 13),
        Arguments.of("[α-ω]+", 7),
        Arguments.of("(?i)[a-z]+", 6),
        Arguments.of("(x+x+)+y", 11),
        Arguments.of("/v1/(users|orders|payments|refunds)/[0-9]+(/items/[0-9]+)?", 51),
        Arguments.of("(?:ab){3,7}", 22),
        Arguments.of(".{0,50}", 154),
        Arguments.of("[[:alpha:]]+", 6),
        Arguments.of("\\s*", 7),
        Arguments.of("(?i)straße", 11),
        Arguments.of("/[a-z]{1,100}", 204),
        Arguments.of("(?:/[a-z]+){1,10}", 44),
        Arguments.of("(abc|abd|abe)", 9),
        Arguments.of("[^\\n]*", 6),
        Arguments.of("/users/[a-z0-9-]{1,197}", 798),
        Arguments.of("[a-f0-9]{497}", 998));
  }

  @ParameterizedTest(name = "{0}: Envoy {1}")
  @MethodSource("measuredByEnvoy")
  void boundIsAtLeastEnvoysProgramSize(String regex, int envoy) {
    assertThat(RegexProgramSize.of(regex)).isGreaterThanOrEqualTo(envoy);
  }

}
