package dev.syntra.agent.collect;

import com.google.protobuf.ByteString;
import dev.syntra.protocol.runtime.LogLine;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps a {@link LogDraft} to an OTLP {@link LogRecord}.
 *
 * <p>A single-line JSON object is parsed: {@code message}/{@code msg} becomes the body, {@code
 * level}/{@code severity} (names or pino/bunyan numbers) the severity, {@code timestamp}/{@code
 * time}/{@code ts}/{@code @timestamp} (ISO-8601 or epoch seconds/milliseconds) the time, {@code
 * trace_id}/{@code span_id} (or {@code traceId}/{@code spanId}, hex) the trace correlation; every
 * other field becomes an attribute (scalars typed, objects and arrays as JSON text), at most {@link
 * #MAX_ATTRIBUTES}. Other text is the body as is; its severity comes from a level word near its
 * start ({@code ERROR}, {@code WARN}, {@code level=info}, ...), else from a joined stack trace
 * (ERROR), else from the stream (stderr WARN, stdout INFO). Every record gets {@code log.iostream}
 * and, when lines were joined, {@code log.record.lines}. Thread-safe.
 */
final class LogRecordMapper {
  static final int MAX_ATTRIBUTES = 64;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> MESSAGE = Set.of("message", "msg", "@message");
  private static final Set<String> LEVEL =
      Set.of("level", "severity", "lvl", "log.level", "loglevel");
  private static final Set<String> TIME = Set.of("timestamp", "time", "ts", "@timestamp");
  private static final Set<String> TRACE = Set.of("trace_id", "traceId", "traceid", "trace.id");
  private static final Set<String> SPAN = Set.of("span_id", "spanId", "spanid", "span.id");
  private static final Pattern LOGFMT_LEVEL =
      Pattern.compile(
          "(?i)\\blevel=\"?(trace|debug|info|warn|warning|error|fatal|critical|panic)\\b");
  private static final Pattern LEVEL_WORD =
      Pattern.compile("\\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|PANIC)\\b");

  private LogRecordMapper() {}

  static LogRecord map(LogDraft draft) {
    LogRecord.Builder record =
        LogRecord.newBuilder()
            .setTimeUnixNano(nanos(draft.at()))
            .setObservedTimeUnixNano(nanos(draft.at()));
    SeverityNumber severity = null;
    String text = draft.text();
    if (draft.lines() == 1 && text.startsWith("{") && text.endsWith("}")) {
      severity = json(text, record);
    }
    if (!record.hasBody()) {
      record.setBody(AnyValue.newBuilder().setStringValue(text));
      severity = severity != null ? severity : fromContent(text);
    }
    if (severity == null) {
      severity =
          draft.stackTrace()
              ? SeverityNumber.SEVERITY_NUMBER_ERROR
              : draft.stream() == LogLine.Stream.STDERR
                  ? SeverityNumber.SEVERITY_NUMBER_WARN
                  : SeverityNumber.SEVERITY_NUMBER_INFO;
    }
    record.setSeverityNumber(severity).setSeverityText(text(severity));
    record.addAttributes(
        OtlpValues.attribute("log.iostream", draft.stream().name().toLowerCase(Locale.ROOT)));
    if (draft.lines() > 1) {
      record.addAttributes(OtlpValues.attribute("log.record.lines", draft.lines()));
    }
    return record.build();
  }

  /** Parses a JSON line into {@code record}; returns the parsed severity or null. */
  private static @Nullable SeverityNumber json(String text, LogRecord.Builder record) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
    if (!root.isObject()) {
      return null;
    }
    SeverityNumber severity = null;
    int attributes = 0;
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (MESSAGE.contains(name) && value.isString() && !record.hasBody()) {
        record.setBody(AnyValue.newBuilder().setStringValue(value.stringValue()));
      } else if (LEVEL.contains(name) && severity == null) {
        severity = value.isNumber() ? fromNumber(value.asInt()) : fromName(value.asString());
      } else if (TIME.contains(name) && parseTime(value) != null) {
        record.setTimeUnixNano(nanos(parseTime(value)));
      } else if (TRACE.contains(name) && hexId(value, 16) != null) {
        record.setTraceId(hexId(value, 16));
      } else if (SPAN.contains(name) && hexId(value, 8) != null) {
        record.setSpanId(hexId(value, 8));
      } else if (attributes++ < MAX_ATTRIBUTES) {
        record.addAttributes(KeyValue.newBuilder().setKey(name).setValue(anyValue(value)));
      }
    }
    if (!record.hasBody()) {
      record.setBody(AnyValue.newBuilder().setStringValue(text));
    }
    return severity;
  }

  private static AnyValue anyValue(JsonNode value) {
    AnyValue.Builder any = AnyValue.newBuilder();
    if (value.isBoolean()) {
      return any.setBoolValue(value.booleanValue()).build();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return any.setIntValue(value.longValue()).build();
    }
    if (value.isNumber()) {
      return any.setDoubleValue(value.doubleValue()).build();
    }
    if (value.isString()) {
      return any.setStringValue(value.stringValue()).build();
    }
    return any.setStringValue(value.toString()).build();
  }

  private static @Nullable ByteString hexId(JsonNode value, int bytes) {
    if (!value.isString() || value.stringValue().length() != bytes * 2) {
      return null;
    }
    try {
      byte[] id = HexFormat.of().parseHex(value.stringValue());
      for (byte b : id) {
        if (b != 0) {
          return ByteString.copyFrom(id);
        }
      }
      return null; // all-zero ids are invalid in OTLP
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static @Nullable Instant parseTime(JsonNode value) {
    if (value.isNumber()) {
      double number = value.doubleValue();
      if (!(number > 0) || number > 1e17) {
        return null;
      }
      // Epoch milliseconds from 2001 on are above 1e12; smaller numbers are seconds.
      double millis = number > 1e12 ? number : number * 1000;
      long whole = (long) millis;
      return Instant.ofEpochMilli(whole).plusNanos((long) ((millis - whole) * 1_000_000));
    }
    if (!value.isString()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.stringValue()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value.stringValue());
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  static @Nullable SeverityNumber fromContent(String text) {
    String head = text.length() > 120 ? text.substring(0, 120) : text;
    Matcher logfmt = LOGFMT_LEVEL.matcher(head);
    if (logfmt.find()) {
      return fromName(logfmt.group(1));
    }
    Matcher word = LEVEL_WORD.matcher(head);
    return word.find() ? fromName(word.group(1)) : null;
  }

  static @Nullable SeverityNumber fromName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "trace", "finest", "finer" -> SeverityNumber.SEVERITY_NUMBER_TRACE;
      case "debug", "fine", "config" -> SeverityNumber.SEVERITY_NUMBER_DEBUG;
      case "info", "information", "notice" -> SeverityNumber.SEVERITY_NUMBER_INFO;
      case "warn", "warning" -> SeverityNumber.SEVERITY_NUMBER_WARN;
      case "error", "err", "severe" -> SeverityNumber.SEVERITY_NUMBER_ERROR;
      case "fatal", "critical", "crit", "panic", "emerg", "alert" ->
          SeverityNumber.SEVERITY_NUMBER_FATAL;
      default -> null;
    };
  }

  /** pino/bunyan levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
  private static @Nullable SeverityNumber fromNumber(int level) {
    return switch (level / 10) {
      case 1 -> SeverityNumber.SEVERITY_NUMBER_TRACE;
      case 2 -> SeverityNumber.SEVERITY_NUMBER_DEBUG;
      case 3 -> SeverityNumber.SEVERITY_NUMBER_INFO;
      case 4 -> SeverityNumber.SEVERITY_NUMBER_WARN;
      case 5 -> SeverityNumber.SEVERITY_NUMBER_ERROR;
      case 6 -> SeverityNumber.SEVERITY_NUMBER_FATAL;
      default -> null;
    };
  }

  private static String text(SeverityNumber severity) {
    return switch (severity) {
      case SEVERITY_NUMBER_TRACE -> "TRACE";
      case SEVERITY_NUMBER_DEBUG -> "DEBUG";
      case SEVERITY_NUMBER_WARN -> "WARN";
      case SEVERITY_NUMBER_ERROR -> "ERROR";
      case SEVERITY_NUMBER_FATAL -> "FATAL";
      default -> "INFO";
    };
  }

  static long nanos(Instant at) {
    return Math.max(0, at.getEpochSecond()) * 1_000_000_000L + at.getNano();
  }
}
