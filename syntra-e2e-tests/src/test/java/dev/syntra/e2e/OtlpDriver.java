package dev.syntra.e2e;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends sequence-numbered spans and log records to an agent's OTLP/HTTP receiver (protobuf), as a
 * well-behaved exporter does: a request that fails or is refused is sent again, unchanged, until
 * the agent answers 200. Each span and log record carries its sequence number in the attribute
 * {@code seq}; a request whose outcome is unknown (the connection broke after sending) is noted, so
 * a duplicate of exactly those can be told from a real one.
 */
final class OtlpDriver implements AutoCloseable {
  static final String SEQ = "seq";

  private final String base;
  private final int itemsPerRequest;
  private final double errorRatio;
  private final boolean retry;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final SecureRandom random = new SecureRandom();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong nextSeq = new AtomicLong();
  private final AtomicLong refusedRequests = new AtomicLong();
  private final AtomicLong refusedItems = new AtomicLong();
  private final AtomicLong retryAfterMissing = new AtomicLong();
  final Set<Long> acceptedSpans = ConcurrentHashMap.newKeySet();
  final Set<Long> acceptedLogs = ConcurrentHashMap.newKeySet();
  final Set<Long> ambiguous = ConcurrentHashMap.newKeySet();
  final Set<ByteString> acceptedErrorSpanIds = ConcurrentHashMap.newKeySet();
  private final Thread[] threads;

  private OtlpDriver(
      String base, int itemsPerRequest, double errorRatio, boolean retry, int threads) {
    this.base = base;
    this.itemsPerRequest = itemsPerRequest;
    this.errorRatio = errorRatio;
    this.retry = retry;
    this.threads = new Thread[threads];
  }

  /** Sends until closed, one request after the other per thread, pausing {@code pause} between. */
  static OtlpDriver start(
      String base,
      int itemsPerRequest,
      double errorRatio,
      boolean retry,
      int threads,
      Duration pause) {
    OtlpDriver driver = new OtlpDriver(base, itemsPerRequest, errorRatio, retry, threads);
    for (int i = 0; i < threads; i++) {
      driver.threads[i] =
          Thread.ofPlatform().name("otlp-driver-" + i).daemon(true).start(() -> driver.loop(pause));
    }
    return driver;
  }

  private void loop(Duration pause) {
    while (running.get()) {
      long first = nextSeq.getAndAdd(itemsPerRequest);
      sendTraces(first);
      sendLogs(first);
      sleep(pause);
    }
  }

  private void sendTraces(long first) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    Set<ByteString> errors = new java.util.HashSet<>();
    for (long seq = first; seq < first + itemsPerRequest; seq++) {
      ByteString spanId = bytes(8);
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(bytes(16))
              .setSpanId(spanId)
              .setName("op " + seq)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
              .setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L + 1_000_000)
              .addAttributes(intAttr(SEQ, seq))
              .addAttributes(attr("http.route", "/orders/{id}"));
      if (random.nextDouble() < errorRatio) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        errors.add(spanId);
      }
      scope.addSpans(span);
    }
    byte[] body =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(scope))
            .build()
            .toByteArray();
    if (post("/v1/traces", body, first)) {
      for (long seq = first; seq < first + itemsPerRequest; seq++) {
        acceptedSpans.add(seq);
      }
      acceptedErrorSpanIds.addAll(errors);
    }
  }

  private void sendLogs(long first) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (long seq = first; seq < first + itemsPerRequest; seq++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
              .setSeverityNumber(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_INFO)
              .setBody(AnyValue.newBuilder().setStringValue("order " + seq + " shipped"))
              .addAttributes(intAttr(SEQ, seq)));
    }
    byte[] body =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope))
            .build()
            .toByteArray();
    if (post("/v1/logs", body, first)) {
      for (long seq = first; seq < first + itemsPerRequest; seq++) {
        acceptedLogs.add(seq);
      }
    }
  }

  /** True once the agent answered 200; false if refused (and not retried) or stopped. */
  private boolean post(String path, byte[] body, long first) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-protobuf")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    while (true) {
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return true;
        }
        if (response.statusCode() == 429 || response.statusCode() == 503) {
          refusedRequests.incrementAndGet();
          if (response.headers().firstValue("Retry-After").isEmpty()) {
            retryAfterMissing.incrementAndGet();
          }
          if (!retry) {
            if (path.equals("/v1/traces")) {
              refusedItems.addAndGet(itemsPerRequest);
            }
            return false;
          }
        } else {
          throw new IllegalStateException(path + " answered " + response.statusCode());
        }
      } catch (ConnectException notListening) {
        // the agent is down: nothing was sent, try again
      } catch (IOException brokenAfterSending) {
        ambiguous.add(first); // the agent may have taken it: a duplicate of it is allowed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (!running.get() && !retry) {
        return false;
      }
      sleep(Duration.ofMillis(200));
    }
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(attr("service.name", "e2e-driver")).build();
  }

  long refusedRequests() {
    return refusedRequests.get();
  }

  /** Spans refused (429/503) and, without retries, given up. */
  long refusedItems() {
    return refusedItems.get();
  }

  long refusalsWithoutRetryAfter() {
    return retryAfterMissing.get();
  }

  /** Stops sending; waits for requests in flight (they retry until the agent took them). */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(Duration.ofMinutes(3));
    }
  }

  private ByteString bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] |= 1; // never all zero
    return ByteString.copyFrom(b);
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue intAttr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
