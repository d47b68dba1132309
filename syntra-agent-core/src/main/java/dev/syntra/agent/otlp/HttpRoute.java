package dev.syntra.agent.otlp;

import dev.syntra.telemetry.Signal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where an OTLP/HTTP request goes and how its body is encoded, read from the request line and
 * headers before any of the body is read; or the error status to answer at once.
 */
record HttpRoute(
    @Nullable Signal signal,
    boolean json,
    Compression compression,
    @Nullable HttpResponseStatus error,
    String errorMessage) {

  /** Content-Encoding values we take. */
  enum Compression {
    NONE,
    GZIP,
    ZSTD
  }

  static HttpRoute of(HttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    Signal signal =
        switch (path) {
          case "/v1/traces", "/v1/traces/" -> Signal.TRACES;
          case "/v1/logs", "/v1/logs/" -> Signal.LOGS;
          case "/v1/metrics", "/v1/metrics/" -> Signal.METRICS;
          default -> null;
        };
    String type = mediaType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    boolean json = "application/json".equals(type);
    if (signal == null) {
      return error(
          null,
          json,
          HttpResponseStatus.NOT_FOUND,
          "no OTLP endpoint at " + clip(path) + " (use /v1/traces, /v1/logs or /v1/metrics)");
    }
    if (!HttpMethod.POST.equals(request.method())) {
      return error(
          signal,
          json,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          clip(request.method().name()) + " is not allowed; OTLP/HTTP takes POST");
    }
    if (!json && !"application/x-protobuf".equals(type)) {
      return error(
          signal,
          false,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Type "
              + clip(String.valueOf(type))
              + "; use application/x-protobuf or application/json");
    }
    String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    Compression compression = compression(encoding);
    if (compression == null) {
      return error(
          signal,
          json,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding "
              + clip(String.valueOf(encoding))
              + "; use gzip, zstd or identity");
    }
    return new HttpRoute(signal, json, compression, null, "");
  }

  private static HttpRoute error(
      @Nullable Signal signal, boolean json, HttpResponseStatus status, String message) {
    return new HttpRoute(signal, json, Compression.NONE, status, message);
  }

  private static @Nullable String mediaType(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  private static @Nullable Compression compression(@Nullable String encoding) {
    if (encoding == null) {
      return Compression.NONE;
    }
    return switch (encoding.trim().toLowerCase(Locale.ROOT)) {
      case "", "identity" -> Compression.NONE;
      case "gzip", "x-gzip" -> Compression.GZIP;
      case "zstd" -> Compression.ZSTD;
      default -> null;
    };
  }

  /** Echoed values are clipped so an answer never grows with what a client sent. */
  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
