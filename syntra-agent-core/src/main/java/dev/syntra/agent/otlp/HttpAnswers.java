package dev.syntra.agent.otlp;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import dev.syntra.telemetry.otlp.OtlpJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;

/**
 * OTLP/HTTP answers: an {@code Export*ServiceResponse} for success, a {@code google.rpc.Status}
 * with a message for errors, each in the encoding of the request (protobuf or JSON).
 */
final class HttpAnswers {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private HttpAnswers() {}

  static FullHttpResponse success(ByteBufAllocator alloc, boolean json, Message body) {
    return response(alloc, HttpResponseStatus.OK, json, body);
  }

  static FullHttpResponse error(
      ByteBufAllocator alloc, HttpResponseStatus status, boolean json, String message) {
    com.google.rpc.Status body =
        com.google.rpc.Status.newBuilder().setCode(rpcCode(status)).setMessage(message).build();
    return response(alloc, status, json, body);
  }

  static FullHttpResponse refused(
      ByteBufAllocator alloc, boolean json, String message, Duration retryAfter) {
    return retryLater(alloc, HttpResponseStatus.TOO_MANY_REQUESTS, json, message, retryAfter);
  }

  /** 429 (refused) or 503 (the agent failed on the request): retryable, with Retry-After. */
  static FullHttpResponse retryLater(
      ByteBufAllocator alloc,
      HttpResponseStatus status,
      boolean json,
      String message,
      Duration retryAfter) {
    FullHttpResponse r = error(alloc, status, json, message);
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    r.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
    return r;
  }

  private static FullHttpResponse response(
      ByteBufAllocator alloc, HttpResponseStatus status, boolean json, Message body) {
    ByteBuf content;
    if (json) {
      content = alloc.heapBuffer(128);
      OtlpJson.encode(body, new ByteBufOutputStream(content));
    } else if (body.getSerializedSize() == 0) {
      content = Unpooled.EMPTY_BUFFER;
    } else {
      content = alloc.heapBuffer(body.getSerializedSize());
      content.writeBytes(body.toByteArray());
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, json ? JSON : PROTOBUF)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return r;
  }

  static void closeAfter(FullHttpResponse r) {
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
  }

  private static int rpcCode(HttpResponseStatus status) {
    return switch (status.code()) {
      case 400, 413, 415 -> Code.INVALID_ARGUMENT_VALUE;
      case 404 -> Code.NOT_FOUND_VALUE;
      case 405 -> Code.UNIMPLEMENTED_VALUE;
      case 429 -> Code.RESOURCE_EXHAUSTED_VALUE;
      case 503 -> Code.UNAVAILABLE_VALUE;
      default -> Code.UNKNOWN_VALUE;
    };
  }
}
