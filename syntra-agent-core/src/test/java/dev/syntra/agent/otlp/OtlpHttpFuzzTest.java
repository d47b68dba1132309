package dev.syntra.agent.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.otlp.OtlpJson;
import dev.syntra.telemetry.otlp.OtlpValidation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded random mutator over valid OTLP/HTTP bodies, headers and encodings: the receiver never
 * answers 5xx (but 503), never hangs, keeps answering, and the intake only ever sees valid data.
 * The seed is printed so a failure can be replayed.
 */
class OtlpHttpFuzzTest {
  private static final long SEED = Long.getLong("otlp.fuzz.seed", 20261208L);
  private static final int CASES = Integer.getInteger("otlp.fuzz.cases", 3000);
  private static final String[] PATHS = {"/v1/traces", "/v1/logs", "/v1/metrics"};
  private static final String[] TYPES = {
    "application/x-protobuf",
    "application/json",
    "application/JSON; charset=utf-8",
    "text/plain",
    "",
    "application/x-protobuf;x=1"
  };
  private static final String[] ENCODINGS = {null, "identity", "gzip", "zstd", "br", "GZIP"};

  private final CapturingIntake intake = new CapturingIntake();
  private OtlpHttpReceiver receiver;

  @BeforeEach
  void start() {
    receiver =
        OtlpHttpReceiver.start(
            OtlpHttpSettings.defaults().withBind("127.0.0.1", 0).withLimits(256 << 10, 128 << 10),
            intake,
            new OtlpCounters());
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void mutatedRequestsNeverBreakTheReceiver() {
    System.out.println("OtlpHttpFuzzTest seed=" + SEED + " cases=" + CASES);
    Random random = new Random(SEED);
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      int signal = random.nextInt(3);
      boolean json = random.nextInt(3) == 0;
      byte[] body = validBody(random, signal, json);
      body = mutate(random, body);
      String type =
          random.nextInt(4) == 0
              ? TYPES[random.nextInt(TYPES.length)]
              : (json ? "application/json" : "application/x-protobuf");
      String encoding = ENCODINGS[random.nextInt(ENCODINGS.length)];
      body = encode(random, body, encoding);
      String path = random.nextInt(20) == 0 ? "/v1/" + random.nextInt(5) : PATHS[signal];
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + path))
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (!type.isEmpty()) {
        request.header("Content-Type", type);
      }
      if (encoding != null) {
        request.header("Content-Encoding", encoding);
      }
      HttpResponse<byte[]> response = HttpClients.send(request.build());
      int status = response.statusCode();
      assertThat(status).as("case %d (seed %d)", i, SEED).isIn(200, 400, 404, 413, 415);
      statuses.add(String.valueOf(status));
    }
    assertThat(statuses).contains("200", "400", "415");
    for (TelemetryChunk chunk : intake.chunks) {
      assertThat(OtlpValidation.traces(chunk.traces()).invalidItems()).isZero();
      assertThat(OtlpValidation.logs(chunk.logs()).invalidItems()).isZero();
      assertThat(OtlpValidation.metrics(chunk.metrics()).invalidItems()).isZero();
      assertThat(chunk.isEmpty()).isFalse();
    }
    assertThat(
            HttpClients.post(
                    receiver.port(),
                    "/v1/traces",
                    "application/x-protobuf",
                    null,
                    OtlpTestData.traces(random, 1).toByteArray())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void randomBytesOnTheSocketNeverStopTheReceiver() throws IOException {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 300; i++) {
      try (Socket s = new Socket("127.0.0.1", receiver.port())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        byte[] head =
            ("POST "
                    + PATHS[random.nextInt(3)]
                    + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
                    + random.nextInt(64)
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] junk = new byte[random.nextInt(200)];
        random.nextBytes(junk);
        byte[] request =
            random.nextBoolean() ? concat(head, junk) : mutate(random, concat(head, junk));
        out.write(request);
        out.flush();
        s.shutdownOutput();
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!answer.isEmpty()) {
          assertThat(answer).as("case %d", i).startsWith("HTTP/1.1 ");
          assertThat(answer.charAt(9)).as("case %d: %s", i, answer).isNotEqualTo('5');
        }
      } catch (java.net.SocketException e) {
        // a reset connection is an acceptable answer to garbage
      }
    }
    assertThat(
            HttpClients.post(
                    receiver.port(),
                    "/v1/logs",
                    "application/x-protobuf",
                    null,
                    OtlpTestData.logs(random, 1).toByteArray())
                .statusCode())
        .isEqualTo(200);
  }

  private static byte[] validBody(Random random, int signal, boolean json) {
    var message =
        switch (signal) {
          case 0 -> OtlpTestData.traces(random, 1 + random.nextInt(5));
          case 1 -> OtlpTestData.logs(random, 1 + random.nextInt(5));
          default -> OtlpTestData.metrics(1 + random.nextInt(5));
        };
    return json ? OtlpJson.encode(message) : message.toByteArray();
  }

  private static byte[] mutate(Random random, byte[] body) {
    int kind = random.nextInt(8);
    byte[] b = body.clone();
    switch (kind) {
      case 0 -> {
        // unchanged: valid requests are part of the mix
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(4) && b.length > 0; i++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 2 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
      case 3 -> {
        byte[] noise = new byte[1 + random.nextInt(32)];
        random.nextBytes(noise);
        int at = b.length == 0 ? 0 : random.nextInt(b.length);
        b =
            concat(
                concat(java.util.Arrays.copyOf(b, at), noise),
                java.util.Arrays.copyOfRange(body, at, body.length));
      }
      case 4 -> {
        if (b.length > 0) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
      }
      case 5 -> b = concat(b, b);
      case 6 -> {
        int from = b.length == 0 ? 0 : random.nextInt(b.length);
        int to = from + random.nextInt(Math.max(1, b.length - from));
        b =
            concat(
                java.util.Arrays.copyOf(b, from),
                java.util.Arrays.copyOfRange(b, Math.min(to, b.length), b.length));
      }
      default -> b = new byte[0];
    }
    return b;
  }

  private static byte[] encode(Random random, byte[] body, String encoding) {
    if (encoding == null || random.nextInt(10) == 0) {
      return body; // sometimes a lie: the header says gzip/zstd, the body is plain
    }
    byte[] out =
        switch (encoding.toLowerCase(java.util.Locale.ROOT)) {
          case "gzip" -> HttpClients.gzip(body);
          case "zstd" -> HttpClients.zstd(body);
          default -> body;
        };
    if (random.nextInt(8) == 0 && out.length > 4) {
      out = java.util.Arrays.copyOf(out, random.nextInt(out.length)); // truncated stream
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
