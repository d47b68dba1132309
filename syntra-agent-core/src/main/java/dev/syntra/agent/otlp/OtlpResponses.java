package dev.syntra.agent.otlp;

import com.google.protobuf.Message;
import dev.syntra.telemetry.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Objects;

/** The OTLP success answers: an empty response, or one with {@code partial_success}. */
final class OtlpResponses {
  private OtlpResponses() {}

  static Message of(Signal signal, IngestOutcome outcome) {
    boolean partial = outcome.rejected() > 0;
    String message = Objects.requireNonNullElse(outcome.message(), "");
    return switch (signal) {
      case TRACES ->
          partial
              ? ExportTraceServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportTracePartialSuccess.newBuilder()
                          .setRejectedSpans(outcome.rejected())
                          .setErrorMessage(message))
                  .build()
              : ExportTraceServiceResponse.getDefaultInstance();
      case LOGS ->
          partial
              ? ExportLogsServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportLogsPartialSuccess.newBuilder()
                          .setRejectedLogRecords(outcome.rejected())
                          .setErrorMessage(message))
                  .build()
              : ExportLogsServiceResponse.getDefaultInstance();
      case METRICS ->
          partial
              ? ExportMetricsServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportMetricsPartialSuccess.newBuilder()
                          .setRejectedDataPoints(outcome.rejected())
                          .setErrorMessage(message))
                  .build()
              : ExportMetricsServiceResponse.getDefaultInstance();
    };
  }
}
