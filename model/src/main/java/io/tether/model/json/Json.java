package io.tether.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tether.model.InvalidSpecException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper of the registry. It is strict, because a field that is silently ignored or
 * coerced is a policy the operator believes is in force and is not: unknown fields, duplicate keys,
 * strings where numbers belong and trailing garbage are all errors naming the field.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .addModule(UnicodeStrings.module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .withCoercionConfigDefaults(c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      // Strings must still bind to String and enum fields.
      .withCoercionConfig(String.class, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
      // A whole number is a number: "samplingPercent": 10 is 10.0, not an error.
      .withCoercionConfig(Double.class, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
      .build();

  /**
   * Parses a request body; a malformed or mistyped one throws {@link InvalidSpecException}. The body
   * must be UTF-8 (RFC 8259 §8.1): Jackson alone would also take UTF-16 and UTF-32 by guessing.
   */
  public static <T> T parse(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new InvalidSpecException("", "request body is required");
    }
    String text = Utf8.decode(body);
    try {
      T value = MAPPER.readValue(text, type);
      if (value == null) {
        throw new InvalidSpecException("", "request body must be a JSON object");
      }
      return value;
    } catch (JsonProcessingException e) {
      String duplicate = JsonPaths.duplicateKey(e);
      if (duplicate != null) {
        throw new InvalidSpecException(duplicate, "duplicate field '" + duplicate + "'");
      }
      if (e instanceof JsonMappingException m) {
        throw new InvalidSpecException(JsonPaths.of(m), JsonPaths.describe(m));
      }
      throw new InvalidSpecException("", "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a value the registry itself stored; a failure here is a corrupt store, not bad input. */
  public static <T> T read(byte[] stored, Class<T> type) {
    try {
      return MAPPER.readValue(stored, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stored value is not a valid " + type.getSimpleName(), e);
    }
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static String writeString(Object value) {
    return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
  }
}
