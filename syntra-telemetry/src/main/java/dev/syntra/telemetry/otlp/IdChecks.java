package dev.syntra.telemetry.otlp;

import com.google.protobuf.ByteString;

/** Trace and span id checks shared by the validators. */
final class IdChecks {
  private static final ByteString ZERO_TRACE_ID = ByteString.copyFrom(new byte[16]);
  private static final ByteString ZERO_SPAN_ID = ByteString.copyFrom(new byte[8]);

  static final String TRACE_ID = "must be 16 bytes, not all zero";
  static final String SPAN_ID = "must be 8 bytes, not all zero";
  static final String OPTIONAL_TRACE_ID = "must be empty or 16 bytes, not all zero";
  static final String OPTIONAL_SPAN_ID = "must be empty or 8 bytes, not all zero";

  private IdChecks() {}

  static boolean validTraceId(ByteString id) {
    return id.size() == 16 && !id.equals(ZERO_TRACE_ID);
  }

  static boolean validSpanId(ByteString id) {
    return id.size() == 8 && !id.equals(ZERO_SPAN_ID);
  }

  static boolean validOptionalTraceId(ByteString id) {
    return id.isEmpty() || validTraceId(id);
  }

  static boolean validOptionalSpanId(ByteString id) {
    return id.isEmpty() || validSpanId(id);
  }
}
