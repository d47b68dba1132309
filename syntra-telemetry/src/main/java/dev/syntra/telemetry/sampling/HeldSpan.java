package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Optional;

/**
 * A span held for the decision window, serialized (one compact array instead of a graph of
 * protobuf objects: the held bytes are what the heap holds, and long-lived spans cost the young
 * collector nothing to scan), with the resource and scope it came with (as shells without spans,
 * shared by the spans of one request) and why it was not kept at once.
 */
record HeldSpan(
    ByteString traceId,
    byte[] span,
    ResourceSpans resource,
    ScopeSpans scope,
    SamplingOutcome reason) {

  static HeldSpan of(Span span, ResourceSpans resource, ScopeSpans scope, SamplingOutcome reason) {
    return new HeldSpan(span.getTraceId(), span.toByteArray(), resource, scope, reason);
  }

  /** The span again; empty only if the bytes were corrupted, which cannot happen in memory. */
  Optional<Span> parse() {
    try {
      return Optional.of(Span.parseFrom(span));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
