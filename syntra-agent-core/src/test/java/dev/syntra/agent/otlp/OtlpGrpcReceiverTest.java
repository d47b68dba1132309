package dev.syntra.agent.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP/gRPC receiver through a plain grpc-java client: statuses, details, limits. */
class OtlpGrpcReceiverTest {
  private static final String TRACE_EXPORT =
      "opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final CapturingIntake intake = new CapturingIntake();
  private final OtlpCounters counters = new OtlpCounters();
  private final Random random = new Random(7);
  private OtlpGrpcReceiver receiver;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    receiver =
        OtlpGrpcReceiver.start(
            new OtlpGrpcSettings(
                "127.0.0.1", 0, 1 << 20, 2, 16, java.time.Duration.ofMinutes(1), 1),
            intake,
            counters);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", receiver.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receiver.close();
  }

  private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
      String name, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(name)
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  private ExportTraceServiceResponse exportTraces(
      ExportTraceServiceRequest request, CallOptions options) {
    return ClientCalls.blockingUnaryCall(
        channel,
        method(
            TRACE_EXPORT,
            ExportTraceServiceRequest.getDefaultInstance(),
            ExportTraceServiceResponse.getDefaultInstance()),
        options,
        request);
  }

  private static ExportTraceServiceRequest request(
      io.opentelemetry.proto.trace.v1.TracesData data) {
    return ExportTraceServiceRequest.newBuilder()
        .addAllResourceSpans(data.getResourceSpansList())
        .build();
  }

  @Test
  void acceptsGzipAndAnswersPartialSuccess() {
    var data =
        OtlpTestData.traces(
            OtlpTestData.span(random, "ok"),
            OtlpTestData.span(random, "bad").setSpanId(ByteString.EMPTY));
    ExportTraceServiceResponse response =
        exportTraces(request(data), CallOptions.DEFAULT.withCompression("gzip"));
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo("resourceSpans[0].scopeSpans[0].spans[1].spanId: must be 8 bytes, not all zero");
    assertThat(intake.spans()).extracting(s -> s.getName()).containsExactly("ok");
  }

  @Test
  void whollyInvalidOrMalformedIsInvalidArgument() {
    var allBad = OtlpTestData.traces(OtlpTestData.span(random, "bad").clearTraceId());
    assertThatThrownBy(() -> exportTraces(request(allBad), CallOptions.DEFAULT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("traceId: must be 16 bytes");
            });
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(TRACE_EXPORT)
            .setRequestMarshaller(new BytesMarshaller())
            .setResponseMarshaller(new BytesMarshaller())
            .build();
    assertThatThrownBy(() ->
            ClientCalls.blockingUnaryCall(
                channel, raw, CallOptions.DEFAULT, new byte[] {0x0a, 0x7f, 1}))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("malformed traces request");
            });
    assertThat(intake.chunks).isEmpty();
    assertThat(counters.snapshot().get(Transport.GRPC, Signal.TRACES).badRequests()).isEqualTo(2);
    // Still serving.
    assertThat(
            exportTraces(request(OtlpTestData.traces(random, 2)), CallOptions.DEFAULT)
                .hasPartialSuccess())
        .isFalse();
    assertThat(intake.spans()).hasSize(2);
  }

  @Test
  void refusalIsResourceExhaustedWithRetryInfo() throws Exception {
    intake.refuse = true;
    ExportLogsServiceRequest logs =
        ExportLogsServiceRequest.newBuilder()
            .addAllResourceLogs(OtlpTestData.logs(random, 3).getResourceLogsList())
            .build();
    var logsMethod =
        method(
            "opentelemetry.proto.collector.logs.v1.LogsService/Export",
            ExportLogsServiceRequest.getDefaultInstance(),
            ExportLogsServiceResponse.getDefaultInstance());
    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(channel, logsMethod, CallOptions.DEFAULT, logs))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              com.google.rpc.Status status = StatusProto.fromThrowable(e);
              assertThat(status).isNotNull();
              assertThat(status.getMessage()).isEqualTo("buffer full");
              try {
                RetryInfo retry = status.getDetails(0).unpack(RetryInfo.class);
                assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(2);
                assertThat(retry.getRetryDelay().getNanos()).isEqualTo(500_000_000);
              } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AssertionError(x);
              }
            });
    assertThat(intake.chunks).isEmpty();
    assertThat(counters.snapshot().get(Transport.GRPC, Signal.LOGS).refusedItems()).isEqualTo(3);
  }

  @Test
  void messagesOverTheLimitAreRefusedByGrpc() {
    var big = OtlpTestData.traces(OtlpTestData.span(random, "x".repeat(2 << 20)));
    assertThatThrownBy(() -> exportTraces(request(big), CallOptions.DEFAULT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(intake.chunks).isEmpty();
    assertThat(exportTraces(request(OtlpTestData.traces(random, 1)), CallOptions.DEFAULT))
        .isNotNull();
  }

  @Test
  void connectionsOverTheLimitAreClosedOnAccept() throws Exception {
    try (Socket a = new Socket("127.0.0.1", receiver.port());
        Socket b = new Socket("127.0.0.1", receiver.port())) {
      // gRPC greets each accepted connection with its SETTINGS frame
      a.setSoTimeout(5000);
      b.setSoTimeout(5000);
      assertThat(a.getInputStream().read()).isNotNegative();
      assertThat(b.getInputStream().read()).isNotNegative();
      assertThat(receiver.openConnections()).isEqualTo(2);
      try (Socket c = new Socket("127.0.0.1", receiver.port())) {
        c.setSoTimeout(5000);
        assertThat(c.getInputStream().read()).isEqualTo(-1); // closed at once
      }
    }
    org.awaitility.Awaitility.await().until(() -> receiver.openConnections() == 0);
    exportTraces(request(OtlpTestData.traces(random, 2)), CallOptions.DEFAULT);
    assertThat(intake.spans()).hasSize(2);
  }

  @Test
  void closeIsIdempotent() {
    receiver.close();
    receiver.close();
  }

  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
