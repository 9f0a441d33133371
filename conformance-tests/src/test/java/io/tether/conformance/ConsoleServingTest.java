package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@code tether server} serves the console under {@code /ui} (docs/console.md): the page and its
 * assets without a token, the page for every path of the app, long-lived caching for hashed assets only,
 * a Content-Security-Policy of the page's own origin, JSON errors for what is not there; the data stays
 * behind the token.
 */
class ConsoleServingTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void thePageIsServedWithoutATokenForEveryPathOfTheApp() throws Exception {
    for (String path : new String[] {"/ui", "/ui/", "/ui/namespaces/prod/services/payments", "/ui/proxies"}) {
      HttpResponse<String> page = get(path);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).as(path).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Cache-Control")).as("the page is revalidated").hasValue("no-cache");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.body()).contains("<div id=\"app\"></div>").doesNotContain("<script>");
    }
    assertThat(get("/v1/namespaces").statusCode()).as("the data is behind the token").isEqualTo(401);
  }

  @Test
  void hashedAssetsAreCachedForAYearAndAMissingOneIs404NotThePage() throws Exception {
    Matcher script = Pattern.compile("src=\"(/ui/assets/[^\"]+\\.js)\"").matcher(get("/ui/").body());
    assertThat(script.find()).as("the page names its script").isTrue();
    HttpResponse<String> asset = get(script.group(1));
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(asset.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(asset.headers().firstValue("Cache-Control").orElse("")).contains("immutable", "max-age=31536000");

    HttpResponse<String> missing = get("/ui/assets/no-such-file.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    JsonNode error = Json.MAPPER.readTree(missing.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void onlyGetIsAllowedOnTheConsoleAndTheAnswerIsTheApisJsonError() throws Exception {
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(mesh.apiUrl() + "/ui/"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(Json.MAPPER.readTree(post.body()).path("error").path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(mesh.apiUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
