package io.tether.model.json;

import io.tether.model.InvalidSpecException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of request bodies: malformed bytes and NULs (UTF-16's signature) are refused. */
final class Utf8 {
  private Utf8() {}

  static String decode(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (body[i] == 0) {
        throw new InvalidSpecException("", "request body must be UTF-8 JSON: it holds a NUL byte at offset " + i
            + " (UTF-16 and UTF-32 are not accepted)");
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      String text = decoder.decode(ByteBuffer.wrap(body)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;  // a UTF-8 byte order mark may be ignored (§8.1)
    } catch (CharacterCodingException e) {
      throw new InvalidSpecException("", "request body must be UTF-8 JSON: it holds bytes that are not UTF-8");
    }
  }
}
