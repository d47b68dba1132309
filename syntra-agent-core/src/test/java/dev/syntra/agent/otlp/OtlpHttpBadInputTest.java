package dev.syntra.agent.otlp;

import static dev.syntra.agent.otlp.HttpClients.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile OTLP/HTTP requests over real sockets: precise answers, nothing handed on, still up. */
class OtlpHttpBadInputTest {
  private static final String PROTO = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final int MAX_BODY = 1 << 20;

  private final CapturingIntake intake = new CapturingIntake();
  private final OtlpCounters counters = new OtlpCounters();
  private final Random random = new Random(42);
  private OtlpHttpReceiver receiver;
  private int port;

  @BeforeEach
  void start() {
    receiver =
        OtlpHttpReceiver.start(
            OtlpHttpSettings.defaults().withBind("127.0.0.1", 0).withLimits(MAX_BODY, MAX_BODY / 2),
            intake,
            counters);
    port = receiver.port();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private static String status(HttpResponse<byte[]> r) throws InvalidProtocolBufferException {
    return com.google.rpc.Status.parseFrom(r.body()).getMessage();
  }

  private void assertStillServing() {
    int before = intake.spans().size();
    HttpResponse<byte[]> ok =
        post(port, "/v1/traces", PROTO, null, OtlpTestData.traces(random, 3).toByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(intake.spans()).hasSize(before + 3);
  }

  @Test
  void malformedProtobufIs400WithAMessage() throws Exception {
    HttpResponse<byte[]> r = post(port, "/v1/traces", PROTO, null, new byte[] {0x0a, 0x7f, 1, 2});
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTO);
    assertThat(status(r)).startsWith("malformed protobuf traces request:");
    assertThat(intake.chunks).isEmpty();
    assertStillServing();
  }

  @Test
  void malformedJsonIs400WithThePathInJson() {
    byte[] body =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}"
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> r = post(port, "/v1/traces", JSON, null, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("\"code\":3")
        .contains("resourceSpans[0].scopeSpans[0].spans[0].traceId: must be 32 hex digits");
    HttpResponse<byte[]> broken =
        post(port, "/v1/logs", JSON, null, "{\"resourceLogs\":[".getBytes(StandardCharsets.UTF_8));
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(new String(broken.body(), StandardCharsets.UTF_8)).contains("malformed JSON");
    assertThat(intake.chunks).isEmpty();
    assertStillServing();
  }

  @Test
  void jsonRequestsAreAnsweredInJson() {
    TracesData data = OtlpTestData.traces(random, 2);
    HttpResponse<byte[]> r =
        post(port, "/v1/traces", "application/json; charset=utf-8", null, OtlpJson.encode(data));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(intake.chunks)
        .singleElement()
        .satisfies(c -> assertThat(c.traces()).isEqualTo(data));
  }

  @Test
  void wrongPathMethodTypeAndEncoding() throws Exception {
    byte[] body = OtlpTestData.traces(random, 1).toByteArray();
    assertThat(post(port, "/v1/spans", PROTO, null, body).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> get =
        HttpClients.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .GET()
                .build());
    assertThat(get.statusCode()).isEqualTo(405);
    HttpResponse<byte[]> text = post(port, "/v1/traces", "text/plain", null, body);
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(status(text)).contains("unsupported Content-Type text/plain");
    assertThat(post(port, "/v1/traces", null, null, body).statusCode()).isEqualTo(415);
    HttpResponse<byte[]> br = post(port, "/v1/traces", PROTO, "br", body);
    assertThat(br.statusCode()).isEqualTo(415);
    assertThat(status(br)).contains("Content-Encoding br");
    assertThat(intake.chunks).isEmpty();
    assertThat(counters.snapshot().get(Transport.HTTP, Signal.TRACES).badRequests()).isEqualTo(4);
    assertStillServing();
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    byte[] big = new byte[MAX_BODY + 1];
    HttpResponse<byte[]> r = post(port, "/v1/traces", PROTO, null, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r)).contains("larger than " + MAX_BODY);
    // Chunked (no Content-Length): judged while streaming.
    HttpResponse<byte[]> chunked =
        HttpClients.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", PROTO)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big)))
                .build());
    assertThat(chunked.statusCode()).isEqualTo(413);
    // A compressed body over its own (smaller) cap.
    byte[] incompressible = new byte[MAX_BODY / 2 + 1024];
    random.nextBytes(incompressible);
    assertThat(
            post(port, "/v1/traces", PROTO, "gzip", HttpClients.gzip(incompressible)).statusCode())
        .isEqualTo(413);
    assertThat(intake.chunks).isEmpty();
    assertStillServing();
  }

  @Test
  void zipBombsCostAnErrorNotMemory() throws Exception {
    byte[] gzipBomb = gzipZeros(200L << 20); // 200 MiB of zeros in ~200 KiB
    assertThat(gzipBomb.length).isLessThan(MAX_BODY / 2);
    HttpResponse<byte[]> r = post(port, "/v1/traces", PROTO, "gzip", gzipBomb);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r)).contains("decompresses to more than " + MAX_BODY + " bytes");
    byte[] zstdBomb = HttpClients.zstd(new byte[64 << 20]);
    HttpResponse<byte[]> z = post(port, "/v1/logs", PROTO, "zstd", zstdBomb);
    assertThat(z.statusCode()).isEqualTo(413);
    assertThat(post(port, "/v1/traces", PROTO, "gzip", new byte[] {1, 2, 3, 4}).statusCode())
        .isEqualTo(400);
    assertThat(post(port, "/v1/traces", PROTO, "zstd", new byte[] {1, 2, 3, 4}).statusCode())
        .isEqualTo(400);
    assertThat(intake.chunks).isEmpty();
    assertStillServing();
  }

  @Test
  void compressedBodiesAreTaken() {
    TracesData data = OtlpTestData.traces(random, 5);
    assertThat(
            post(port, "/v1/traces", PROTO, "gzip", HttpClients.gzip(data.toByteArray()))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(port, "/v1/traces", PROTO, "zstd", HttpClients.zstd(data.toByteArray()))
                .statusCode())
        .isEqualTo(200);
    assertThat(intake.chunks).hasSize(2).allSatisfy(c -> assertThat(c.traces()).isEqualTo(data));
  }

  @Test
  void deeplyNestedAttributeValuesAreRejected() throws Exception {
    TracesData deep =
        OtlpTestData.traces(
            OtlpTestData.span(random, "deep")
                .addAttributes(
                    KeyValue.newBuilder().setKey("d").setValue(OtlpTestData.nested(20))));
    HttpResponse<byte[]> r = post(port, "/v1/traces", PROTO, null, deep.toByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(status(r))
        .contains("spans[0].attributes[1].value: attribute value nested deeper than 16 levels");
    // Deeper than protobuf's recursion limit: a parse error, still a 400.
    TracesData deeper =
        OtlpTestData.traces(
            OtlpTestData.span(random, "deeper")
                .addAttributes(
                    KeyValue.newBuilder().setKey("d").setValue(OtlpTestData.nested(200))));
    assertThat(post(port, "/v1/traces", PROTO, null, deeper.toByteArray()).statusCode())
        .isEqualTo(400);
    String jsonDeep =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"d\",\"value\":"
            + "{\"arrayValue\":{\"values\":[".repeat(200)
            + "{\"intValue\":\"1\"}"
            + "]}}".repeat(200)
            + "}]}]}]}]}";
    HttpResponse<byte[]> json =
        post(port, "/v1/traces", JSON, null, jsonDeep.getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("nesting depth");
    assertThat(intake.chunks).isEmpty();
    assertStillServing();
  }

  @Test
  void invalidTraceIdsArePartialSuccessOrWhollyRejected() throws Exception {
    TracesData mixed =
        OtlpTestData.traces(
            OtlpTestData.span(random, "good"),
            OtlpTestData.span(random, "zero")
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16])),
            OtlpTestData.span(random, "short")
                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1})));
    HttpResponse<byte[]> r = post(port, "/v1/traces", PROTO, null, mixed.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo(
            "resourceSpans[0].scopeSpans[0].spans[1].traceId: must be 16 bytes, not all zero (2 invalid items in total)");
    assertThat(intake.spans()).extracting(s -> s.getName()).containsExactly("good");

    TracesData allBad = OtlpTestData.traces(OtlpTestData.span(random, "bad").clearTraceId());
    HttpResponse<byte[]> bad = post(port, "/v1/traces", PROTO, null, allBad.toByteArray());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(status(bad))
        .isEqualTo(
            "resourceSpans[0].scopeSpans[0].spans[0].traceId: must be 16 bytes, not all zero");
    assertThat(intake.spans()).hasSize(1);
    OtlpCounters.Counts c = counters.snapshot().get(Transport.HTTP, Signal.TRACES);
    assertThat(c.acceptedItems()).isEqualTo(1);
    assertThat(c.rejectedItems()).isEqualTo(3);
    assertThat(c.badRequests()).isEqualTo(1);
  }

  @Test
  void refusingIntakeIs429WithRetryAfterAndNothingKept() throws Exception {
    intake.refuse = true;
    HttpResponse<byte[]> r =
        post(port, "/v1/logs", PROTO, null, OtlpTestData.logs(random, 4).toByteArray());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(status(r)).isEqualTo("buffer full");
    assertThat(intake.chunks).isEmpty();
    assertThat(counters.snapshot().get(Transport.HTTP, Signal.LOGS).refusedItems()).isEqualTo(4);
    intake.refuse = false;
    assertStillServing();
  }

  @Test
  void garbageOnTheSocketIsAnsweredOrClosedAndKeepAliveWorks() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write("GARBAGE \u0000\u0001 nonsense\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 400");
    }
    // Two requests on one connection.
    byte[] body = OtlpTestData.metrics(2).toByteArray();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 2; i++) {
        out.write(
            ("POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
      }
      out.flush();
      String answers = readUntil(s.getInputStream(), 2);
      assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(3);
    }
    assertThat(intake.metrics()).hasSize(2);
  }

  @Test
  void connectionsOverTheLimitAreClosedAndIdleOnesTimeOut() throws Exception {
    receiver.close();
    receiver =
        OtlpHttpReceiver.start(
            OtlpHttpSettings.defaults()
                .withBind("127.0.0.1", 0)
                .withConnections(2, Duration.ofMillis(300)),
            intake,
            counters);
    port = receiver.port();
    try (Socket a = new Socket("127.0.0.1", port);
        Socket b = new Socket("127.0.0.1", port);
        Socket c = new Socket("127.0.0.1", port)) {
      c.setSoTimeout(5000);
      assertThat(c.getInputStream().read()).isEqualTo(-1); // closed at once
      a.setSoTimeout(5000);
      assertThat(a.getInputStream().read()).isEqualTo(-1); // idle timeout
      b.setSoTimeout(5000);
      assertThat(b.getInputStream().read()).isEqualTo(-1);
    }
    org.awaitility.Awaitility.await().until(() -> receiver.openConnections() == 0);
    assertStillServing();
  }

  @Test
  void aRequestTrickledByteByByteIsCutOffDespiteTheIdleTimeout() throws Exception {
    receiver.close();
    receiver =
        OtlpHttpReceiver.start(
            OtlpHttpSettings.defaults()
                .withBind("127.0.0.1", 0)
                .withConnections(4, Duration.ofMillis(500)),
            intake,
            counters);
    port = receiver.port();
    byte[] headers =
        ("POST /v1/traces HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(500))
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(100); // paces the trickle: a byte every 100 ms, well within the idle timeout
      int sent = 0;
      boolean closed = false;
      while (!closed && sent < 100) { // 10 s
        try {
          s.getOutputStream().write(headers[sent++]);
          closed = s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
          // go on trickling
        } catch (java.net.SocketException reset) {
          closed = true;
        }
      }
      assertThat(closed).as("closed while trickling, after %d bytes", sent).isTrue();
    }
    assertStillServing();
  }

  @Test
  void aDeclaredContentLengthWithoutABodyReservesNoMemory() throws Exception {
    receiver.close();
    int declared = 200 << 20;
    receiver =
        OtlpHttpReceiver.start(
            OtlpHttpSettings.defaults().withBind("127.0.0.1", 0).withLimits(declared, declared),
            intake,
            counters);
    port = receiver.port();
    long before = usedHeapAfterGc();
    Socket[] sockets = new Socket[3];
    try {
      for (int i = 0; i < sockets.length; i++) {
        Socket s = new Socket("127.0.0.1", port);
        sockets[i] = s;
        s.setSoTimeout(5000);
        s.getOutputStream()
            .write(
                ("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        + PROTO
                        + "\r\nExpect: 100-continue\r\nContent-Length: "
                        + declared
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(readUntil(s.getInputStream(), 1)).startsWith("HTTP/1.1 100");
      }
      assertStillServing(); // the event loop is past the three requests' headers
      // Before the fix, each request reserved its declared 200 MiB at once.
      assertThat(usedHeapAfterGc() - before).isLessThan(100 << 20);
    } finally {
      for (Socket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String readUntil(InputStream in, int responses) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (seen.toString(StandardCharsets.ISO_8859_1).split("HTTP/1.1 ", -1).length <= responses) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      seen.write(buf, 0, n);
    }
    return seen.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] gzipZeros(long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      for (long written = 0; written < size; written += zeros.length) {
        gz.write(zeros);
      }
    }
    return out.toByteArray();
  }
}
