package dev.syntra.telemetry.sampling;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A span held for the decision window, with the resource and scope it came with (as shells without
 * spans, shared by the spans of one request) and why it was not kept at once.
 */
record HeldSpan(Span span, ResourceSpans resource, ScopeSpans scope, SamplingOutcome reason) {}
