package dev.syntra.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.LogLine;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LogRecordMapperTest {
  private static final Instant AT = Instant.parse("2026-12-08T00:00:00Z");

  private static LogRecord map(String text, LogLine.Stream stream, int lines, boolean trace) {
    return LogRecordMapper.map(
        new LogDraft(
            AT, stream, "web-1", text, lines, trace, "web-1|stdout", new LogPosition(AT, 1)));
  }

  private static Map<String, String> attributes(LogRecord record) {
    return record.getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().toString().trim()));
  }

  @Test
  void parsesJsonLinesIntoBodySeverityTimeTraceAndAttributes() {
    LogRecord record =
        map(
            "{\"level\":\"error\",\"msg\":\"payment failed\",\"time\":\"2026-12-07T10:00:00.5Z\","
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\","
                + "\"user\":42,\"ok\":false,\"ctx\":{\"a\":1}}",
            LogLine.Stream.STDOUT,
            1,
            false);
    assertThat(record.getBody().getStringValue()).isEqualTo("payment failed");
    assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
    assertThat(record.getSeverityText()).isEqualTo("ERROR");
    assertThat(record.getTimeUnixNano())
        .isEqualTo(LogRecordMapper.nanos(Instant.parse("2026-12-07T10:00:00.5Z")));
    assertThat(record.getObservedTimeUnixNano()).isEqualTo(LogRecordMapper.nanos(AT));
    assertThat(HexFormat.of().formatHex(record.getTraceId().toByteArray()))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(HexFormat.of().formatHex(record.getSpanId().toByteArray()))
        .isEqualTo("00f067aa0ba902b7");
    Map<String, String> attributes = attributes(record);
    assertThat(attributes)
        .containsEntry("user", "int_value: 42")
        .containsEntry("ok", "bool_value: false");
    assertThat(attributes.get("ctx")).contains("{\\\"a\\\":1}");
    assertThat(attributes).containsEntry("log.iostream", "string_value: \"stdout\"");
  }

  @Test
  void pinoNumericLevelsAndEpochMillis() {
    LogRecord record =
        map(
            "{\"level\":40,\"time\":1765152000123,\"msg\":\"slow\"}",
            LogLine.Stream.STDOUT,
            1,
            false);
    assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(record.getTimeUnixNano()).isEqualTo(1765152000123L * 1_000_000L);
  }

  @Test
  void invalidJsonAndBadIdsStayText() {
    LogRecord broken = map("{not json}", LogLine.Stream.STDOUT, 1, false);
    assertThat(broken.getBody().getStringValue()).isEqualTo("{not json}");
    LogRecord zeroTrace =
        map(
            "{\"msg\":\"x\",\"trace_id\":\"00000000000000000000000000000000\"}",
            LogLine.Stream.STDOUT,
            1,
            false);
    assertThat(zeroTrace.getTraceId().isEmpty()).isTrue();
  }

  @Test
  void severityFromContentThenStackTraceThenStream() {
    assertThat(
            map("2026 WARN disk almost full", LogLine.Stream.STDOUT, 1, false).getSeverityNumber())
        .isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(map("ts=1 level=debug msg=x", LogLine.Stream.STDERR, 1, false).getSeverityNumber())
        .isEqualTo(SeverityNumber.SEVERITY_NUMBER_DEBUG);
    assertThat(map("boom\n\tat x", LogLine.Stream.STDOUT, 2, true).getSeverityNumber())
        .isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
    assertThat(map("listening", LogLine.Stream.STDERR, 1, false).getSeverityNumber())
        .isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(map("listening", LogLine.Stream.STDOUT, 1, false).getSeverityNumber())
        .isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
  }
}
