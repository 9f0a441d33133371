package io.tether.registry.json;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** Turns Jackson's error locations into the field paths the API reports, e.g. {@code clientAliases[0].port}. */
final class JsonPaths {
  private JsonPaths() {}

  static String of(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  static String describe(JsonMappingException e) {
    String field = of(e);
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + field + "'";
    }
    if (e instanceof InvalidFormatException f) {
      return field + ": '" + f.getValue() + "' is not a valid " + typeName(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return field + ": " + v.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return field + " must be " + article(typeName(m.getTargetType()));
    }
    return field + ": " + e.getOriginalMessage();
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "integer";
    }
    if (type == String.class) {
      return "string";
    }
    if (type.isEnum()) {
      return "value (one of " + java.util.Arrays.toString(type.getEnumConstants()) + ")";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "array";
    }
    return "object";
  }

  private static String article(String noun) {
    return (noun.matches("^[aeiou].*") ? "an " : "a ") + noun;
  }
}
