package io.tether.model.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * JSON's {@code \\uD800} escape can spell a lone UTF-16 surrogate, which is no Unicode character:
 * stored, it would come back from etcd as a replacement character, and Envoy would reject it in a
 * resource name. Every string value and key the registry parses must be valid Unicode.
 */
final class UnicodeStrings {
  private UnicodeStrings() {}

  static SimpleModule module() {
    return new SimpleModule("tether-unicode-strings")
        .addDeserializer(String.class, new Values())
        .addKeyDeserializer(String.class, new Keys());
  }

  /** The index of the first unpaired surrogate in {@code s}, or -1. */
  static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String problem(String s) {
    int at = unpairedSurrogate(s);
    return at < 0 ? null : String.format("is not valid Unicode: an unpaired surrogate \\u%04X at character %d",
        (int) s.charAt(at), at);
  }

  private static final class Values extends StdDeserializer<String> {
    Values() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String value = StringDeserializer.instance.deserialize(p, ctx);
      String problem = value == null ? null : problem(value);
      if (problem != null) {
        throw JsonMappingException.from(p, "the value " + problem);
      }
      return value;
    }
  }

  private static final class Keys extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctx) throws IOException {
      String problem = problem(key);
      if (problem != null) {
        throw JsonMappingException.from(ctx, "the key " + problem);
      }
      return key;
    }
  }
}
