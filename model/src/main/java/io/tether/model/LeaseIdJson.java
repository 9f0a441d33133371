package io.tether.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Lease ids are etcd's int64 lease ids, which exceed 2^53: a client that reads JSON numbers as
 * doubles (JavaScript, jq) would silently change them. So the API writes them as decimal strings,
 * as etcd's own JSON gateway does, and reads either a string or a number.
 */
public final class LeaseIdJson extends StdDeserializer<Long> {
  public LeaseIdJson() {
    super(Long.class);
  }

  @Override
  public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (text.matches("[0-9]{1,19}")) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          // above int64: refused below
        }
      }
      return (Long) ctx.handleWeirdStringValue(Long.class, text, "a lease id is a decimal int64, as POST /v1/leases returns it");
    }
    return (Long) ctx.handleUnexpectedToken(Long.class, p);
  }
}
