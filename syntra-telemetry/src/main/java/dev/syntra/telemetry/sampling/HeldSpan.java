package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A held span set free by an error in its trace, with the resource and scope it came with (as
 * shells without spans) and why it had been held.
 */
record HeldSpan(
    ByteString traceId,
    Span span,
    ResourceSpans resource,
    ScopeSpans scope,
    SamplingOutcome reason) {}
