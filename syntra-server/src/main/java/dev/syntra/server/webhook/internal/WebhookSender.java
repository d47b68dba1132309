package dev.syntra.server.webhook.internal;

import dev.syntra.server.webhook.WebhookSignature;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * POSTs one signed webhook request with the JDK HTTP client: a connect timeout, a response timeout,
 * no redirects followed, no proxy, and at most {@link BoundedBody#MAX_BYTES} of the answer read.
 * Never throws for what the network or the receiver does: every outcome is a {@link Result}.
 *
 * <p>Thread-safe; {@link #close()} releases the client's connections and threads.
 */
final class WebhookSender implements AutoCloseable {
  static final String USER_AGENT = "Syntra-Webhooks/0.1";

  /**
   * One attempt's outcome.
   *
   * @param status the HTTP status, null when no response arrived
   * @param body the start of the response body, null when none
   * @param error why the attempt failed, null on a 2xx
   * @param retryAfter what the receiver's {@code Retry-After} asked for, if anything
   */
  record Result(
      @Nullable Integer status,
      @Nullable String body,
      @Nullable String error,
      @Nullable Duration retryAfter) {
    boolean succeeded() {
      return error == null;
    }

    static Result failure(String error) {
      return new Result(null, null, error, null);
    }
  }

  private final HttpClient client;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  WebhookSender(Duration connectTimeout, Duration requestTimeout) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * Sends {@code body} to {@code url}, signed with {@code secret} as message {@code id} at {@code
   * timestamp}. Blocks for at most the connect plus the request timeout.
   *
   * @throws InterruptedException if the thread is interrupted (the dispatcher is stopping); the
   *     request is then abandoned
   */
  Result send(URI url, String id, Instant timestamp, String body, String secret)
      throws InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long seconds = timestamp.getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(requestTimeout)
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(seconds))
            .header("webhook-signature", WebhookSignature.sign(secret, id, seconds, bytes))
            .header("content-type", "application/json")
            .header("user-agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(request, info -> new BoundedBody());
    try {
      // The request timeout stops at the response headers; this bounds reading the body too.
      HttpResponse<String> response =
          pending.get(connectTimeout.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
      return result(response, timestamp);
    } catch (TimeoutException e) {
      pending.cancel(true);
      return Result.failure("no complete response within " + describe(requestTimeout));
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      return Result.failure(describe(e.getCause() == null ? e : e.getCause()));
    } catch (IllegalArgumentException e) {
      return Result.failure("the request could not be built: " + e.getMessage());
    }
  }

  private static Result result(HttpResponse<String> response, Instant now) {
    int status = response.statusCode();
    String body = response.body().isEmpty() ? null : response.body();
    if (status >= 200 && status < 300) {
      return new Result(status, body, null, null);
    }
    String error =
        status >= 300 && status < 400
            ? "HTTP " + status + ": redirects are not followed; configure the final URL"
            : "HTTP " + status;
    return new Result(status, body, error, retryAfter(response, now).orElse(null));
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; absent or unreadable is empty. */
  static Optional<Duration> retryAfter(HttpResponse<?> response, Instant now) {
    Optional<String> header = response.headers().firstValue("retry-after").map(String::strip);
    if (header.isEmpty() || header.get().isEmpty()) {
      return Optional.empty();
    }
    String value = header.get();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException e) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)); // "very long"
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(now, at);
      return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private String describe(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return "could not connect within " + describe(connectTimeout);
    }
    if (cause instanceof HttpTimeoutException) {
      return "no response within " + describe(requestTimeout);
    }
    if (cause instanceof ConnectException) {
      return "could not connect: " + message(cause, "connection refused");
    }
    if (cause instanceof SSLException) {
      return "TLS failed: " + message(cause, "handshake error");
    }
    if (cause instanceof IOException) {
      return "request failed: " + message(cause, cause.getClass().getSimpleName());
    }
    return "request failed: " + cause.getClass().getSimpleName();
  }

  private static String message(Throwable cause, String fallback) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? fallback : message;
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  @Override
  public void close() {
    client.shutdownNow();
  }

  @Override
  public String toString() {
    return "WebhookSender[connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }
}
