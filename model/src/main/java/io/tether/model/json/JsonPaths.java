package io.tether.model.json;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
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

  /**
   * The path of a key that occurs twice in one object (e.g. {@code timeout.idleTimeoutSeconds}), or
   * null when the failure is not a duplicate key. The parser reports duplicates as a plain read error
   * without a path, so the path is taken from the parser's context where it stopped.
   */
  static String duplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException s && !(t instanceof JsonMappingException)
          && s.getOriginalMessage() != null && s.getOriginalMessage().startsWith("Duplicate field")
          && s.getProcessor() != null) {
        return of(s.getProcessor().getParsingContext());
      }
    }
    return null;
  }

  private static String of(JsonStreamContext context) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        parts.addFirst(c.getCurrentName() == null ? "" : "." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.addFirst("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      }
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  static String describe(JsonMappingException e) {
    String field = of(e);
    if (e instanceof UnrecognizedPropertyException u) {
      String suggestion = FieldSuggestion.closest(u.getPropertyName(), u.getKnownPropertyIds())
          .map(k -> ": did you mean '" + k + "'?").orElse("");
      return "unknown field '" + field + "'" + suggestion;
    }
    if (e instanceof InvalidFormatException f) {
      return field + ": '" + f.getValue() + "' is not a valid " + typeName(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return field + ": " + v.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      // No field: the body itself has the wrong shape (e.g. [1] where an object belongs).
      return field.isEmpty() ? "request body must be a JSON " + typeName(m.getTargetType())
          : field + " must be " + article(typeName(m.getTargetType()));
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
    if (type == Boolean.class || type == boolean.class) {
      return "boolean";
    }
    if (type == Double.class || type == double.class) {
      return "number";
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
