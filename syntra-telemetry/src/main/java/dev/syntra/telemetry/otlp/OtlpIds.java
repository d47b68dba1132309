package dev.syntra.telemetry.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Base64;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Trace and span id fields: which bytes fields OTLP/JSON writes as hex, and the hex codec. */
final class OtlpIds {
  /** Messages whose trace_id/span_id/parent_span_id are hex in OTLP/JSON. */
  private static final Set<String> ID_MESSAGES =
      Set.of(
          "opentelemetry.proto.trace.v1.Span",
          "opentelemetry.proto.trace.v1.Span.Link",
          "opentelemetry.proto.logs.v1.LogRecord",
          "opentelemetry.proto.metrics.v1.Exemplar");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private OtlpIds() {}

  /** 16 for a trace id, 8 for a span id, 0 when {@code field} is not an id written as hex. */
  static int idBytes(FieldDescriptor field) {
    if (field.getType() != FieldDescriptor.Type.BYTES
        || !ID_MESSAGES.contains(field.getContainingType().getFullName())) {
      return 0;
    }
    return switch (field.getName()) {
      case "trace_id" -> 16;
      case "span_id", "parent_span_id" -> 8;
      default -> 0;
    };
  }

  /** Empty for "", the id for exactly {@code bytes * 2} hex digits (any case), else null. */
  static @Nullable ByteString parseHex(String s, int bytes) {
    if (s.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (s.length() != bytes * 2) {
      return null;
    }
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int hi = digit(s.charAt(2 * i));
      int lo = digit(s.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return ByteString.copyFrom(out);
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  static String hex(ByteString id) {
    char[] out = new char[id.size() * 2];
    for (int i = 0; i < id.size(); i++) {
      int b = id.byteAt(i) & 0xFF;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xF];
    }
    return new String(out);
  }

  /** Standard or URL-safe base64, padding optional (as protobuf's JSON parser accepts). */
  static byte[] base64(String s) {
    if (s.indexOf('-') >= 0 || s.indexOf('_') >= 0) {
      return Base64.getUrlDecoder().decode(s);
    }
    return Base64.getDecoder().decode(s);
  }
}
