package dev.syntra.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.StandaloneServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

class TrustedProxiesTest {
  @TempDir Path dataDir;

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnBudget() throws Exception {
    Map<String, String> settings =
        Map.of(
            "SYNTRA_DATA_DIR", dataDir.toString(),
            "SYNTRA_TRUSTED_PROXIES", "127.0.0.1",
            "SYNTRA_RATE_LIMIT_UNAUTHENTICATED", "3");
    try (var server = StandaloneServer.start(settings);
        HttpClient client = HttpClient.newHttpClient()) {
      String base =
          "http://127.0.0.1:"
              + server.bean(Environment.class).getProperty("local.server.port")
              + "/api/v1/projects";
      for (int i = 0; i < 3; i++) {
        assertThat(status(client, base, "203.0.113.5")).isEqualTo(401);
      }
      assertThat(status(client, base, "203.0.113.5")).isEqualTo(429);
      // Another client behind the same proxy is not punished for the first one.
      assertThat(status(client, base, "203.0.113.6")).isEqualTo(401);
      // A client cannot escape its budget by adding its own X-Forwarded-For entry on the left.
      assertThat(status(client, base, "198.51.100.1, 203.0.113.5")).isEqualTo(429);
    }
  }

  @Test
  void refusesNamesAndNormalizesIpv6LikeTomcat() {
    assertThat(TrustedProxies.from(env("10.0.0.5, ::1")))
        .containsExactly("10.0.0.5", "0:0:0:0:0:0:0:1");
    assertThat(TrustedProxies.from(env(""))).isEmpty();
    assertThat(TrustedProxies.pattern(List.of("10.0.0.5"))).matches("\\\\Q10.0.0.5\\\\E");
    assertThatThrownBy(() -> TrustedProxies.from(env("proxy.example")))
        .hasMessageStartingWith("SYNTRA_TRUSTED_PROXIES: expected comma-separated IP addresses");
    assertThatThrownBy(() -> TrustedProxies.from(env("10.0.0.256")))
        .hasMessageContaining("'10.0.0.256'");
  }

  private static Environment env(String value) {
    return new MockEnvironment().withProperty("SYNTRA_TRUSTED_PROXIES", value);
  }

  private static int status(HttpClient client, String url, String forwardedFor) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", forwardedFor).build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
