package dev.syntra.server.webhook.internal;

import dev.syntra.server.webhook.WebhookSignature;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * POSTs one signed webhook request to the addresses its URL was checked against ({@link
 * PinnedPost}): a connect timeout, a response timeout, no redirects followed, no proxy, and at most
 * {@link PinnedPost#MAX_BODY_BYTES} of the answer read. Never throws for what the network or the
 * receiver does: every outcome is a {@link Result}.
 *
 * <p>Thread-safe; holds no connections between deliveries.
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

  private final PinnedPost post;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  WebhookSender(Duration connectTimeout, Duration requestTimeout) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    try {
      this.post = new PinnedPost(SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context in this JVM", e);
    }
  }

  /**
   * Sends {@code body} to {@code target} (connecting only to the addresses the policy checked),
   * signed with {@code secret} as message {@code id} at {@code timestamp}. Blocks for at most the
   * connect plus the request timeout.
   *
   * @throws InterruptedException if the thread is interrupted (the dispatcher is stopping); the
   *     request is then abandoned
   */
  Result send(
      WebhookUrlPolicy.Target target, String id, Instant timestamp, String body, String secret)
      throws InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long seconds = timestamp.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(seconds));
    headers.put("webhook-signature", WebhookSignature.sign(secret, id, seconds, bytes));
    headers.put("content-type", "application/json");
    headers.put("user-agent", USER_AGENT);
    if (headers.values().stream().anyMatch(v -> v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0)) {
      return Result.failure("the request could not be built: a header value spans lines");
    }
    long deadline = System.nanoTime() + connectTimeout.plus(requestTimeout).toNanos();
    try {
      PinnedPost.Response response =
          post.send(target, headers, bytes, (int) connectTimeout.toMillis(), deadline);
      return result(response, timestamp);
    } catch (IOException e) {
      return Result.failure(describe(e));
    }
  }

  private static Result result(PinnedPost.Response response, Instant now) {
    int status = response.status();
    String body = response.body().isEmpty() ? null : response.body();
    if (status >= 200 && status < 300) {
      return new Result(status, body, null, null);
    }
    String error =
        status >= 300 && status < 400
            ? "HTTP " + status + ": redirects are not followed; configure the final URL"
            : "HTTP " + status;
    return new Result(status, body, error, retryAfter(response.headers(), now).orElse(null));
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; absent or unreadable is empty. */
  static Optional<Duration> retryAfter(Map<String, String> headers, Instant now) {
    String value = headers.getOrDefault("retry-after", "").strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
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
    if (cause instanceof SocketTimeoutException
        && cause.getMessage() != null
        && cause.getMessage().contains("onnect")) {
      return "could not connect within " + describe(connectTimeout);
    }
    if (cause instanceof SocketTimeoutException) {
      return "no complete response within " + describe(requestTimeout);
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

  /** Nothing to release: each delivery opens and closes its own connection. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "WebhookSender[connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }
}
