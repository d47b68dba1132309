package dev.syntra.telemetry.otlp;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import org.jspecify.annotations.Nullable;

/**
 * {@link OtlpValidation#traces}: one pass to check, a second to copy only when something failed.
 */
final class TracesValidator {
  private TracesValidator() {}

  static OtlpValidation.Result<TracesData> validate(TracesData data) {
    ValidationProblems problems = new ValidationProblems();
    long total = 0;
    for (int r = 0; r < data.getResourceSpansCount(); r++) {
      ResourceSpans rs = data.getResourceSpans(r);
      String resourceProblem =
          ValidationProblems.attributes(
              rs.getResource().getAttributesList(), "resource.attributes");
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        ScopeSpans ss = rs.getScopeSpans(s);
        total += ss.getSpansCount();
        String prefix = "resourceSpans[" + r + "]";
        if (resourceProblem != null) {
          problems.add(ss.getSpansCount(), prefix + "." + resourceProblem);
          continue;
        }
        String scopeProblem =
            ValidationProblems.attributes(ss.getScope().getAttributesList(), "scope.attributes");
        if (scopeProblem != null) {
          problems.add(ss.getSpansCount(), prefix + ".scopeSpans[" + s + "]." + scopeProblem);
          continue;
        }
        for (int i = 0; i < ss.getSpansCount(); i++) {
          String problem = problem(ss.getSpans(i));
          if (problem != null) {
            problems.add(1, prefix + ".scopeSpans[" + s + "].spans[" + i + "]." + problem);
          }
        }
      }
    }
    if (problems.invalid() == 0) {
      return new OtlpValidation.Result<>(data, total, 0, null);
    }
    return new OtlpValidation.Result<>(
        validOnly(data), total - problems.invalid(), problems.invalid(), problems.message());
  }

  private static TracesData validOnly(TracesData data) {
    TracesData.Builder out = TracesData.newBuilder();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      if (ValidationProblems.attributes(rs.getResource().getAttributesList(), "") != null) {
        continue;
      }
      ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        if (ValidationProblems.attributes(ss.getScope().getAttributesList(), "") != null) {
          continue;
        }
        ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          if (problem(span) == null) {
            sb.addSpans(span);
          }
        }
        if (sb.getSpansCount() > 0) {
          rb.addScopeSpans(sb);
        }
      }
      if (rb.getScopeSpansCount() > 0) {
        out.addResourceSpans(rb);
      }
    }
    return out.build();
  }

  /** What is wrong with {@code span} (path relative to it), or null. */
  static @Nullable String problem(Span span) {
    if (!IdChecks.validTraceId(span.getTraceId())) {
      return "traceId: " + IdChecks.TRACE_ID;
    }
    if (!IdChecks.validSpanId(span.getSpanId())) {
      return "spanId: " + IdChecks.SPAN_ID;
    }
    if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
      return "parentSpanId: must be empty or 8 bytes";
    }
    if (Long.compareUnsigned(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()) < 0) {
      return "endTimeUnixNano: must not be before startTimeUnixNano";
    }
    String attributes = ValidationProblems.attributes(span.getAttributesList(), "attributes");
    if (attributes != null) {
      return attributes;
    }
    for (int e = 0; e < span.getEventsCount(); e++) {
      String p =
          ValidationProblems.attributes(
              span.getEvents(e).getAttributesList(), "events[" + e + "].attributes");
      if (p != null) {
        return p;
      }
    }
    for (int l = 0; l < span.getLinksCount(); l++) {
      String p = linkProblem(span.getLinks(l));
      if (p != null) {
        return "links[" + l + "]." + p;
      }
    }
    return null;
  }

  private static @Nullable String linkProblem(Span.Link link) {
    if (!IdChecks.validTraceId(link.getTraceId())) {
      return "traceId: " + IdChecks.TRACE_ID;
    }
    if (!IdChecks.validSpanId(link.getSpanId())) {
      return "spanId: " + IdChecks.SPAN_ID;
    }
    return ValidationProblems.attributes(link.getAttributesList(), "attributes");
  }
}
