package dev.syntra.agent.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The three OTLP gRPC services, written by hand (no generated stubs): {@code
 * opentelemetry.proto.collector.{trace,logs,metrics}.v1.{Trace,Logs,Metrics}Service/Export}, unary.
 * An {@code Export*ServiceRequest} has the wire layout of {@code TracesData}/{@code
 * LogsData}/{@code MetricsData} (field 1, the repeated resource entries), so requests are parsed
 * straight into the data classes the pipeline takes, without a copy.
 */
final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  static ServerServiceDefinition traces(OtlpIngest ingest) {
    return service(
        "opentelemetry.proto.collector.trace.v1.TraceService",
        TracesData.getDefaultInstance(),
        ExportTraceServiceResponse.getDefaultInstance(),
        Signal.TRACES,
        ingest,
        data -> ingest.traces(Transport.GRPC, data));
  }

  static ServerServiceDefinition logs(OtlpIngest ingest) {
    return service(
        "opentelemetry.proto.collector.logs.v1.LogsService",
        LogsData.getDefaultInstance(),
        ExportLogsServiceResponse.getDefaultInstance(),
        Signal.LOGS,
        ingest,
        data -> ingest.logs(Transport.GRPC, data));
  }

  static ServerServiceDefinition metrics(OtlpIngest ingest) {
    return service(
        "opentelemetry.proto.collector.metrics.v1.MetricsService",
        MetricsData.getDefaultInstance(),
        ExportMetricsServiceResponse.getDefaultInstance(),
        Signal.METRICS,
        ingest,
        data -> ingest.metrics(Transport.GRPC, data));
  }

  private static <Q extends Message, R extends Message> ServerServiceDefinition service(
      String serviceName,
      Q requestPrototype,
      R responsePrototype,
      Signal signal,
      OtlpIngest ingest,
      Function<Q, IngestOutcome> handle) {
    MethodDescriptor<Parsed<Q>, R> export =
        MethodDescriptor.<Parsed<Q>, R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Export"))
            .setRequestMarshaller(new RequestMarshaller<>(ProtoUtils.marshaller(requestPrototype)))
            .setResponseMarshaller(ProtoUtils.marshaller(responsePrototype))
            .build();
    return ServerServiceDefinition.builder(serviceName)
        .addMethod(
            export,
            ServerCalls.asyncUnaryCall((Parsed<Q> request, StreamObserver<R> response) -> {
              Q value = request.value();
              if (value == null) {
                ingest.bad(Transport.GRPC, signal);
                response.onError(
                    Status.INVALID_ARGUMENT
                        .withDescription(
                            "malformed " + signal.wireName() + " request: " + request.error())
                        .asRuntimeException());
                return;
              }
              answer(signal, handle.apply(value), response);
            }))
        .build();
  }

  /** A parsed request, or why it could not be parsed (null value). */
  private record Parsed<Q>(@Nullable Q value, String error) {}

  /**
   * Parses requests and turns a malformed one into a value, not an exception: gRPC would answer a
   * parse exception with UNKNOWN, OTLP wants INVALID_ARGUMENT.
   */
  private record RequestMarshaller<Q>(MethodDescriptor.Marshaller<Q> delegate)
      implements MethodDescriptor.Marshaller<Parsed<Q>> {
    @Override
    public InputStream stream(Parsed<Q> value) {
      return delegate.stream(Objects.requireNonNull(value.value()));
    }

    @Override
    public Parsed<Q> parse(InputStream stream) {
      try {
        return new Parsed<>(delegate.parse(stream), "");
      } catch (StatusRuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new Parsed<>(null, String.valueOf(cause.getMessage()));
      }
    }
  }

  private static <R extends Message> void answer(
      Signal signal, IngestOutcome outcome, StreamObserver<R> response) {
    switch (outcome.kind()) {
      case OK -> {
        @SuppressWarnings("unchecked")
        R body = (R) OtlpResponses.of(signal, outcome);
        response.onNext(body);
        response.onCompleted();
      }
      case INVALID ->
          response.onError(
              Status.INVALID_ARGUMENT.withDescription(outcome.message()).asRuntimeException());
      case REFUSED -> response.onError(StatusProto.toStatusRuntimeException(refused(outcome)));
    }
  }

  /** RESOURCE_EXHAUSTED with a RetryInfo detail: OTLP clients retry only when it is present. */
  static com.google.rpc.Status refused(IngestOutcome outcome) {
    Duration delay =
        outcome.retryAfter().isPositive() ? outcome.retryAfter() : Duration.ofSeconds(1);
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(delay.getSeconds())
                    .setNanos(delay.getNano()))
            .build();
    return com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage(Objects.requireNonNullElse(outcome.message(), "the agent is overloaded"))
        .addDetails(Any.pack(retry))
        .build();
  }
}
