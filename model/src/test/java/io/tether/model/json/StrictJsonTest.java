package io.tether.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.AppProtocol;
import io.tether.model.ErrorCode;
import io.tether.model.InvalidSpecException;
import io.tether.model.Namespace;
import io.tether.model.ServiceSpec;
import io.tether.model.Timeout;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The mapper refuses what a lenient one would silently ignore or coerce, and says where: a field the
 * operator believes is in force and is not is worse than an error.
 */
class StrictJsonTest {
  private static ServiceSpec service(String json) {
    return Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class);
  }

  private static void refused(byte[] body, String field, String message) {
    assertThatThrownBy(() -> Json.parse(body, ServiceSpec.class))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        })
        .hasMessage(message);
  }

  private static void refused(String json, String field, String message) {
    refused(json.getBytes(StandardCharsets.UTF_8), field, message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"portName\":\"http\",\"colour\":\"blue\"}|colour|unknown field 'colour'",
      "{\"timeout\":{\"perRequestTimeoutSecs\":5}}|timeout.perRequestTimeoutSecs|unknown field 'timeout.perRequestTimeoutSecs': did you mean 'perRequestTimeoutSeconds'?",
      "{\"timout\":{}}|timout|unknown field 'timout': did you mean 'timeout'?",
      "{\"PortName\":\"http\"}|PortName|unknown field 'PortName': did you mean 'portName'?",
      "{\"clientAliases\":[{\"dnsname\":\"a\"}]}|clientAliases[0].dnsname|unknown field 'clientAliases[0].dnsname': did you mean 'dnsName'?",
      "{\"clientAliases\":[{\"dnsName\":\"a\",\"port\":80},{\"vip\":\"x\"}]}|clientAliases[1].vip|unknown field 'clientAliases[1].vip'",
      "{\"clientAliases\":[{\"port\":\"8080\"}]}|clientAliases[0].port|clientAliases[0].port must be an integer",
      "{\"clientAliases\":[{\"port\":80.5}]}|clientAliases[0].port|clientAliases[0].port: '80.5' is not a valid integer",
      "{\"portName\":80}|portName|portName: '80' is not a valid string",
      "{\"portName\":true}|portName|portName: 'true' is not a valid string",
      "{\"clientAliases\":{\"port\":80}}|clientAliases|clientAliases must be an array",
      "{\"timeout\":5}|timeout|timeout must be an object",
      "{\"zoneAware\":true}|zoneAware|zoneAware must be an object",
      "{\"zoneAware\":{\"enabled\":\"true\"}}|zoneAware.enabled|zoneAware.enabled must be a boolean",
      "{\"zoneAware\":{\"enable\":true}}|zoneAware.enable|unknown field 'zoneAware.enable': did you mean 'enabled'?",
      "{\"timeout\":{\"idleTimeoutSeconds\":\"300\"}}|timeout.idleTimeoutSeconds|timeout.idleTimeoutSeconds must be an integer",
      "{\"retryPolicy\":{\"numRetries\":true}}|retryPolicy.numRetries|retryPolicy.numRetries must be an integer",
      "{\"loadBalancing\":1}|loadBalancing|loadBalancing: '1' is not a valid value (one of [ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV])",
      "{\"loadBalancing\":\"FASTEST\"}|loadBalancing|loadBalancing: 'FASTEST' is not a valid value (one of [ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV])",
      "{\"appProtocol\":\"smtp\"}|appProtocol|appProtocol: must be one of http, http2, grpc, tcp",
      "{\"appProtocol\":\"HTTP\"}|appProtocol|appProtocol: must be one of http, http2, grpc, tcp",
      "{\"portName\":\"http\",\"portName\":\"grpc\"}|portName|duplicate field 'portName'",
      "{\"timeout\":{\"idleTimeoutSeconds\":1,\"idleTimeoutSeconds\":2}}|timeout.idleTimeoutSeconds|duplicate field 'timeout.idleTimeoutSeconds'",
      "{\"clientAliases\":[{\"port\":1},{\"port\":1,\"port\":2}]}|clientAliases[1].port|duplicate field 'clientAliases[1].port'"})
  void refusesNamingTheField(String json, String field, String message) {
    refused(json, field, message);
  }

  @Test
  void enumsAreReadByTheirWireNames() {
    ServiceSpec spec = service("{\"appProtocol\":\"http2\",\"loadBalancing\":\"MAGLEV\"}");
    assertThat(spec.appProtocol()).isEqualTo(AppProtocol.HTTP2);
    assertThat(Json.writeString(spec)).contains("\"appProtocol\":\"http2\"").contains("\"loadBalancing\":\"MAGLEV\"");
    assertThat(service("{\"appProtocol\":\"grpc\"}").appProtocol()).isEqualTo(AppProtocol.GRPC);
    assertThat(service("{\"appProtocol\":\"tcp\"}").appProtocol()).isEqualTo(AppProtocol.TCP);
  }

  @Test
  void trailingGarbageAndBrokenJsonAreRefused() {
    assertThatThrownBy(() -> service("{\"portName\":\"http\"} {}"))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEmpty());
    assertThatThrownBy(() -> service("{\"portName\":"))
        .isInstanceOf(InvalidSpecException.class).hasMessageStartingWith("malformed JSON: ");
    assertThatThrownBy(() -> service("{portName:1}"))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEmpty())
        .hasMessageStartingWith("malformed JSON: ");
  }

  @Test
  void aBodyIsRequiredAndMustBeAnObject() {
    refused(new byte[0], "", "request body is required");
    refused((byte[]) null, "", "request body is required");
    refused("null", "", "request body must be a JSON object");
    refused("[]", "", "request body must be a JSON object");
    refused("[1]", "", "request body must be a JSON object");
    refused("1", "", "request body must be a JSON object");
  }

  @Test
  void aNullMetadataValueIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> io.tether.model.Validation.endpoint(Json.parse(
        "{\"address\":\"10.0.0.1\",\"port\":80,\"metadata\":{\"a\":null}}".getBytes(StandardCharsets.UTF_8),
        io.tether.model.Endpoint.class)))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("metadata.a"))
        .hasMessage("metadata.a must be a string, not null");
  }

  @Test
  void theBodyMustBeUtf8() {
    refused("{\"portName\":\"http\"}".getBytes(StandardCharsets.UTF_16BE), "",
        "request body must be UTF-8 JSON: it holds a NUL byte at offset 0 (UTF-16 and UTF-32 are not accepted)");
    refused("{\"portName\":\"http\"}".getBytes(StandardCharsets.UTF_16LE), "",
        "request body must be UTF-8 JSON: it holds a NUL byte at offset 1 (UTF-16 and UTF-32 are not accepted)");
    refused(new byte[] {'{', '"', 'a', (byte) 0xC3, '"', ':', '1', '}'}, "",
        "request body must be UTF-8 JSON: it holds bytes that are not UTF-8");
  }

  @Test
  void aUtf8ByteOrderMarkIsIgnoredAndOtherCharactersAreKept() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] json = "{\"portName\":\"http\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[bom.length + json.length];
    System.arraycopy(bom, 0, body, 0, bom.length);
    System.arraycopy(json, 0, body, bom.length, json.length);
    assertThat(Json.parse(body, ServiceSpec.class).portName()).isEqualTo("http");
    Namespace ns = Json.parse("{\"description\":\"caf\u00e9 \uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8), Namespace.class);
    assertThat(ns.description()).isEqualTo("caf\u00e9 \uD83D\uDE00");
  }

  @Test
  void unpairedSurrogatesAreRefusedInValuesAndKeys() {
    refused("{\"portName\":\"ab\\uD800\"}", "portName",
        "portName: the value is not valid Unicode: an unpaired surrogate \\uD800 at character 2");
    refused("{\"portName\":\"\\uDC00x\"}", "portName",
        "portName: the value is not valid Unicode: an unpaired surrogate \\uDC00 at character 0");
    refused("{\"portName\":\"x\\uD83D\\uDE00\\uD83D\"}", "portName",
        "portName: the value is not valid Unicode: an unpaired surrogate \\uD83D at character 3");
    assertThatThrownBy(() -> Json.parse("{\"address\":\"10.0.0.1\",\"port\":80,\"metadata\":{\"k\\uDFFF\":\"v\"}}"
        .getBytes(StandardCharsets.UTF_8), io.tether.model.Endpoint.class))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("metadata"))
        .hasMessageContaining("the key is not valid Unicode: an unpaired surrogate \\uDFFF at character 1");
    assertThat(service("{\"portName\":\"\\uD83D\\uDE00\"}").portName()).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void unpairedSurrogateFindsTheFirstLoneHalf() {
    assertThat(UnicodeStrings.unpairedSurrogate("plain")).isEqualTo(-1);
    assertThat(UnicodeStrings.unpairedSurrogate("\uD83D\uDE00\uD83D\uDE00")).isEqualTo(-1);
    assertThat(UnicodeStrings.unpairedSurrogate("ab\uD83D")).isEqualTo(2);
    assertThat(UnicodeStrings.unpairedSurrogate("\uDE00\uD83D")).isEqualTo(0);
    assertThat(UnicodeStrings.unpairedSurrogate("a\uD83Da")).isEqualTo(1);
  }

  @Test
  void writtenValuesOmitNullsAndReadBack() {
    ServiceSpec spec = service("{\"portName\":\"http\",\"timeout\":{\"idleTimeoutSeconds\":30}}");
    String written = Json.writeString(spec);
    assertThat(written).isEqualTo("{\"portName\":\"http\",\"clientAliases\":[],\"timeout\":{\"idleTimeoutSeconds\":30}}");
    assertThat(Json.read(Json.write(spec), ServiceSpec.class)).isEqualTo(spec);
    assertThat(Json.read("{\"idleTimeoutSeconds\":1}".getBytes(StandardCharsets.UTF_8), Timeout.class))
        .isEqualTo(new Timeout(1, null));
  }

  @Test
  void aCorruptStoredValueIsAnErrorOfTheStoreNotOfTheCaller() {
    assertThatThrownBy(() -> Json.read("{\"colour\":1}".getBytes(StandardCharsets.UTF_8), Timeout.class))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("stored value is not a valid Timeout");
  }

  @Test
  void aValueThatCannotBeSerialisedIsAnIllegalState() {
    Object selfReferencing = new Object() {
      @SuppressWarnings("unused")
      public Object getSelf() {
        return this;
      }
    };
    assertThatThrownBy(() -> Json.write(selfReferencing)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot serialise");
  }
}
