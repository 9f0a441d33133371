package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/** A spec the edge refuses: its JSON, the field its 400 names, and a part of its message (the validation tests' rows). */
record Refusal(String json, String field, String message) {
  /** A row of a parameterized test, shown by {@code description}. */
  static Arguments row(String description, String json, String field, String message) {
    return Arguments.of(Named.of(description, new Refusal(json, field, message)));
  }

  /** Asserts that {@code validate} refuses the JSON with a 400 naming the field, its message containing the part. */
  void assertRefusedBy(Function<String, ?> validate) {
    assertThatThrownBy(() -> validate.apply(json))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code().httpStatus()).isEqualTo(400);
        })
        .hasMessageContaining(message);
  }
}
