package dev.syntra.telemetry.otlp;

import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * OTLP/JSON ("JSON Protobuf Encoding" of the OTLP specification) to and from the protobuf classes
 * of {@code opentelemetry-proto}, with Jackson's streaming parser (no tree, no data binding).
 *
 * <p>Decoding follows the specification: trace and span ids (of spans, links, log records and
 * exemplars) are hex in any case, other bytes base64; enums are integers (names are accepted too);
 * 64-bit integers are decimal strings or numbers; keys are lowerCamelCase, and the original
 * snake_case field names are accepted as protobuf's own JSON parser does; unknown keys are ignored.
 * An {@code ExportTraceServiceRequest} has the layout of {@link TracesData}, so requests decode
 * straight into the data classes. Nesting is bounded ({@value #MAX_NESTING_DEPTH} JSON levels) and
 * so are strings and numbers; the caller bounds the body size.
 *
 * <p>Thread-safe; every call is independent. Errors are {@link OtlpJsonException}s naming the JSON
 * path.
 */
public final class OtlpJson {
  /**
   * Deepest JSON nesting accepted: enough for AnyValue values nested far beyond what {@link
   * OtlpValidation} accepts, so that check (not the parser) gives the precise answer.
   */
  public static final int MAX_NESTING_DEPTH = 160;

  /** Longest string value, in chars (a body is capped at 20 MiB anyway). */
  public static final int MAX_STRING_LENGTH = 20 << 20;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxStringLength(MAX_STRING_LENGTH)
                  .maxNumberLength(64)
                  .maxNameLength(1024)
                  .build())
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  private OtlpJson() {}

  /** An {@code ExportTraceServiceRequest} (or {@code TracesData}) document. */
  public static TracesData decodeTraces(InputStream json) {
    return decode(json, TracesData.getDefaultInstance());
  }

  /** An {@code ExportLogsServiceRequest} (or {@code LogsData}) document. */
  public static LogsData decodeLogs(InputStream json) {
    return decode(json, LogsData.getDefaultInstance());
  }

  /** An {@code ExportMetricsServiceRequest} (or {@code MetricsData}) document. */
  public static MetricsData decodeMetrics(InputStream json) {
    return decode(json, MetricsData.getDefaultInstance());
  }

  /** A document of any message type ({@code prototype} is its default instance). */
  public static <T extends Message> T decode(InputStream json, T prototype) {
    Message.Builder builder = prototype.newBuilderForType();
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      new JsonMessageReader(parser).readDocument(builder);
    } catch (JacksonException e) {
      throw new OtlpJsonException("", "malformed JSON: " + e.getOriginalMessage());
    }
    @SuppressWarnings("unchecked")
    T message = (T) builder.build();
    return message;
  }

  /** A document of any message type, from bytes. */
  public static <T extends Message> T decode(byte[] json, T prototype) {
    return decode(new ByteArrayInputStream(json), prototype);
  }

  /** Writes {@code message} as OTLP/JSON (UTF-8) to {@code out}; does not close it. */
  public static void encode(MessageOrBuilder message, OutputStream out) {
    try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      new JsonMessageWriter(generator).write(message);
    }
  }

  /** {@code message} as OTLP/JSON bytes (UTF-8). */
  public static byte[] encode(MessageOrBuilder message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    encode(message, out);
    return out.toByteArray();
  }
}
