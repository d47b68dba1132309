package dev.syntra.agent.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.otlp.OtlpJson;
import dev.syntra.telemetry.otlp.OtlpJsonException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One complete OTLP/HTTP body to an answer: decompress (bounded), parse protobuf straight from the
 * buffer's array (or JSON with {@link OtlpJson}), validate and hand on through {@link OtlpIngest}.
 * Thread-safe (stateless apart from the shared ingest).
 */
final class HttpExport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpExport.class);

  private final OtlpIngest ingest;
  private final int maxBodyBytes;

  HttpExport(OtlpIngest ingest, int maxBodyBytes) {
    this.ingest = ingest;
    this.maxBodyBytes = maxBodyBytes;
  }

  OtlpIngest ingest() {
    return ingest;
  }

  /** The answer to {@code route} with {@code raw} as its body; never throws; never releases raw. */
  FullHttpResponse handle(ByteBufAllocator alloc, HttpRoute route, ByteBuf raw) {
    Signal signal = Objects.requireNonNull(route.signal());
    ByteBuf body = raw;
    try {
      if (route.compression() != HttpRoute.Compression.NONE) {
        body = BodyDecoder.decompress(raw, route.compression(), maxBodyBytes, alloc);
      }
      IngestOutcome outcome = ingest(route, signal, body);
      return switch (outcome.kind()) {
        case OK -> HttpAnswers.success(alloc, route.json(), OtlpResponses.of(signal, outcome));
        case INVALID ->
            HttpAnswers.error(
                alloc,
                HttpResponseStatus.BAD_REQUEST,
                route.json(),
                String.valueOf(outcome.message()));
        case REFUSED ->
            HttpAnswers.refused(
                alloc,
                route.json(),
                Objects.requireNonNullElse(outcome.message(), "the agent is overloaded"),
                outcome.retryAfter());
      };
    } catch (BodyDecoder.TooLargeException e) {
      return bad(alloc, route, signal, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      return bad(
          alloc,
          route,
          signal,
          HttpResponseStatus.BAD_REQUEST,
          "malformed protobuf " + signal.wireName() + " request: " + e.getMessage());
    } catch (OtlpJsonException e) {
      return bad(alloc, route, signal, HttpResponseStatus.BAD_REQUEST, e.getMessage());
    } catch (IOException e) {
      return bad(
          alloc,
          route,
          signal,
          HttpResponseStatus.BAD_REQUEST,
          "the body is not valid "
              + route.compression().name().toLowerCase(java.util.Locale.ROOT)
              + ": "
              + e.getMessage());
    } catch (RuntimeException e) {
      // A bug, not the client's fault: 503 so the client retries; nothing was handed on.
      LOG.warn("OTLP/HTTP {} request failed", signal.wireName(), e);
      return HttpAnswers.retryLater(
          alloc,
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          route.json(),
          "the agent failed on this request",
          Duration.ofSeconds(5));
    } finally {
      if (body != raw) {
        body.release();
      }
    }
  }

  private IngestOutcome ingest(HttpRoute route, Signal signal, ByteBuf body) throws IOException {
    return switch (signal) {
      case TRACES ->
          ingest.traces(
              Transport.HTTP,
              route.json()
                  ? OtlpJson.decodeTraces(new ByteBufInputStream(body))
                  : TracesData.parseFrom(coded(body)));
      case LOGS ->
          ingest.logs(
              Transport.HTTP,
              route.json()
                  ? OtlpJson.decodeLogs(new ByteBufInputStream(body))
                  : LogsData.parseFrom(coded(body)));
      case METRICS ->
          ingest.metrics(
              Transport.HTTP,
              route.json()
                  ? OtlpJson.decodeMetrics(new ByteBufInputStream(body))
                  : MetricsData.parseFrom(coded(body)));
    };
  }

  /** Parses from the buffer's own memory: no copy of the body, and no aliasing into it. */
  private static CodedInputStream coded(ByteBuf body) {
    if (body.hasArray()) {
      return CodedInputStream.newInstance(
          body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
    }
    if (body.nioBufferCount() == 1) {
      return CodedInputStream.newInstance(body.nioBuffer());
    }
    return CodedInputStream.newInstance(new ByteBufInputStream(body));
  }

  private FullHttpResponse bad(
      ByteBufAllocator alloc,
      HttpRoute route,
      Signal signal,
      HttpResponseStatus status,
      String message) {
    ingest.bad(Transport.HTTP, signal);
    return HttpAnswers.error(alloc, status, route.json(), message);
  }
}
