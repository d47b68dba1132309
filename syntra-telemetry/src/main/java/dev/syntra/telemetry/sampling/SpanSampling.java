package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the spans of one request into kept-normal, kept-priority and held, preserving resource and
 * scope structure. Where every span of a scope, resource or request is kept normally the original
 * message is reused, so the common case copies nothing. Not thread-safe (the sampler's lock).
 */
final class SpanSampling {
  private static final ByteString EXCEPTION = ByteString.copyFromUtf8("exception");

  private final PendingTraces pending;
  private final ErroredTraces errored;
  private final ServiceLimits services;
  private int[] decisions = new int[256];

  SpanSampling(PendingTraces pending, ErroredTraces errored, ServiceLimits services) {
    this.pending = pending;
    this.errored = errored;
    this.services = services;
  }

  /**
   * The outcome of one request's spans; {@code released} are held spans an error set free, {@code
   * held} where this request's own spans were held.
   */
  record Result(
      TracesData normal,
      TracesData priority,
      long normalSpans,
      long prioritySpans,
      List<HeldSpan> released,
      PendingTraces.Receipt held) {}

  static boolean isError(Span span) {
    if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
      return true;
    }
    for (int i = 0, n = span.getEventsCount(); i < n; i++) {
      if (EXCEPTION.equals(span.getEvents(i).getNameBytes())) {
        return true;
      }
    }
    return false;
  }

  Result split(TracesData traces, long nowMillis) {
    List<HeldSpan> released = new ArrayList<>(0);
    PendingTraces.Receipt held = PendingTraces.Receipt.NONE;
    List<ResourceSpans> normalOut = new ArrayList<>(traces.getResourceSpansCount());
    List<ResourceSpans> priorityOut = new ArrayList<>(0);
    boolean allNormal = true;
    long normalSpans = 0;
    long prioritySpans = 0;
    for (ResourceSpans rs : traces.getResourceSpansList()) {
      ServiceState service = services.forResource(rs.getResource(), nowMillis);
      ResourceSpans shell = null;
      List<ScopeSpans> normalScopes = new ArrayList<>(rs.getScopeSpansCount());
      List<ScopeSpans> priorityScopes = new ArrayList<>(0);
      boolean resourceAllNormal = true;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        int n = ss.getSpansCount();
        if (decisions.length < n) {
          decisions = new int[Math.max(n, decisions.length * 2)];
        }
        int normals = 0;
        int priorities = 0;
        ScopeSpans scopeShell = null;
        for (int i = 0; i < n; i++) {
          Span span = ss.getSpans(i);
          int decision = decide(span, service, nowMillis, released);
          decisions[i] = decision;
          if (decision == ServiceState.NORMAL) {
            normals++;
          } else if (decision == ServiceState.PRIORITY) {
            priorities++;
          } else {
            if (shell == null) {
              shell = shellOf(rs);
            }
            if (scopeShell == null) {
              scopeShell = shellOf(ss);
            }
            SamplingOutcome reason =
                decision == ServiceState.SAMPLED_OUT
                    ? SamplingOutcome.SAMPLED_OUT
                    : SamplingOutcome.RATE_LIMITED;
            long position =
                pending.hold(span.getTraceId(), span, shell, scopeShell, reason, nowMillis);
            if (position >= 0) {
              if (held == PendingTraces.Receipt.NONE) {
                held = new PendingTraces.Receipt(n - i);
              }
              held.add(span.getTraceId(), position);
            }
          }
        }
        normalSpans += normals;
        prioritySpans += priorities;
        if (normals == n) {
          normalScopes.add(ss);
        } else {
          resourceAllNormal = false;
          if (normals > 0) {
            normalScopes.add(filter(ss, n, ServiceState.NORMAL));
          }
        }
        if (priorities > 0) {
          priorityScopes.add(filter(ss, n, ServiceState.PRIORITY));
        }
      }
      if (resourceAllNormal) {
        normalOut.add(rs);
      } else {
        allNormal = false;
        if (!normalScopes.isEmpty()) {
          normalOut.add(withScopes(rs, normalScopes));
        }
      }
      if (!priorityScopes.isEmpty()) {
        priorityOut.add(withScopes(rs, priorityScopes));
      }
    }
    prioritySpans += released.size();
    group(released, priorityOut);
    TracesData normal =
        allNormal ? traces : TracesData.newBuilder().addAllResourceSpans(normalOut).build();
    TracesData priority =
        priorityOut.isEmpty()
            ? TracesData.getDefaultInstance()
            : TracesData.newBuilder().addAllResourceSpans(priorityOut).build();
    return new Result(normal, priority, normalSpans, prioritySpans, released, held);
  }

  private int decide(Span span, ServiceState service, long nowMillis, List<HeldSpan> released) {
    ByteString traceId = span.getTraceId();
    if (isError(span)) {
      // An id without randomness (not 16 bytes) names no trace: remembering it would merge
      // strangers.
      if (traceId.size() == 16) {
        errored.mark(traceId, nowMillis);
      }
      pending.releaseTo(traceId, nowMillis, released);
      return ServiceState.PRIORITY;
    }
    if (errored.contains(traceId)) {
      pending.releaseTo(traceId, nowMillis, released);
      return ServiceState.PRIORITY;
    }
    return service.decideSpan(TraceIdRatio.randomness(traceId), nowMillis);
  }

  private ScopeSpans filter(ScopeSpans ss, int n, int wanted) {
    ScopeSpans.Builder out =
        ScopeSpans.newBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl());
    for (int i = 0; i < n; i++) {
      if (decisions[i] == wanted) {
        out.addSpans(ss.getSpans(i));
      }
    }
    return out.build();
  }

  private static ResourceSpans withScopes(ResourceSpans rs, List<ScopeSpans> scopes) {
    return ResourceSpans.newBuilder()
        .setResource(rs.getResource())
        .setSchemaUrl(rs.getSchemaUrl())
        .addAllScopeSpans(scopes)
        .build();
  }

  private static ResourceSpans shellOf(ResourceSpans rs) {
    return ResourceSpans.newBuilder()
        .setResource(rs.getResource())
        .setSchemaUrl(rs.getSchemaUrl())
        .build();
  }

  private static ScopeSpans shellOf(ScopeSpans ss) {
    return ScopeSpans.newBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl()).build();
  }

  /** Groups held spans back under their resource and scope (rare: only when an error arrives). */
  static void group(List<HeldSpan> held, List<ResourceSpans> out) {
    if (held.isEmpty()) {
      return;
    }
    Map<ResourceSpans, Map<ScopeSpans, List<Span>>> byResource = new LinkedHashMap<>();
    for (HeldSpan h : held) {
      byResource
          .computeIfAbsent(h.resource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(h.scope(), s -> new ArrayList<>())
          .add(h.span());
    }
    byResource.forEach((resource, scopes) -> {
      ResourceSpans.Builder rb = resource.toBuilder();
      scopes.forEach((scope, spans) -> rb.addScopeSpans(scope.toBuilder().addAllSpans(spans)));
      out.add(rb.build());
    });
  }
}
