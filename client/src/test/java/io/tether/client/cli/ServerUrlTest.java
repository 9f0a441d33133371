package io.tether.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerUrlTest {
  @ParameterizedTest
  @CsvSource({
      "127.0.0.1:8700, http://127.0.0.1:8700",
      "tether.internal:8700, http://tether.internal:8700",
      "[fd00::5]:8700, http://[fd00::5]:8700",
      "http://tether.internal:8700, http://tether.internal:8700",
      "http://tether.internal:8700/, http://tether.internal:8700",
      "HTTPS://tether.internal, https://tether.internal",
      "' 10.0.0.5:8700 ', http://10.0.0.5:8700"})
  void acceptedFormsAreNormalized(String given, String url) {
    assertThat(ServerUrl.parse("--server", given)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "tether.internal", "tether.internal:0", "tether.internal:65536", "fd00::5:8700",
      "ftp://tether.internal:21", "http://tether.internal:8700/v1", "http://tether.internal:8700?x=1",
      "http://user@tether.internal:8700", "http://:8700", "tether internal:8700"})
  void otherFormsAreRefusedWithTheAcceptedOnes(String given) {
    assertThatThrownBy(() -> ServerUrl.parse("--server", given)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--server '" + given + "' must be HOST:PORT or http(s)://HOST:PORT (e.g. 127.0.0.1:8700, "
            + "http://tether.internal:8700 or https://[fd00::5]:8700)");
  }
}
