package dev.syntra.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** A small HTTP client for the REST API, speaking JSON, as a real client would. */
public final class Api {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** An answer: status, headers and the body parsed as JSON when it is JSON. */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse("");
    }

    public String text() {
      return raw.body();
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private @Nullable String token;

  public Api(String base) {
    this.base = base;
  }

  private Api(String base, @Nullable String token) {
    this.base = base;
    this.token = token;
  }

  /** The same client authenticating with {@code token}. */
  public Api as(@Nullable String token) {
    return new Api(base, token);
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, @Nullable Object body) {
    return send("POST", path, body, "application/json");
  }

  public Response patch(String path, @Nullable Object body) {
    return send("PATCH", path, body, "application/json");
  }

  public Response put(String path, @Nullable Object body) {
    return send("PUT", path, body, "application/json");
  }

  /** Sends {@code body} as is: a String is sent verbatim, anything else as JSON. */
  public Response send(String method, String path, @Nullable Object body, @Nullable String type) {
    String text =
        body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                text == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(text));
    if (type != null && text != null) {
      request.header("Content-Type", type);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response, parse(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
    } catch (RuntimeException e) {
      return MissingNode.getInstance();
    }
  }
}
