package dev.syntra.telemetry.sampling;

import dev.syntra.protocol.frame.SignalCounts;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampling stage: keeps error traces whole, samples other traces consistently by trace id, caps
 * each service's spans and log lines per second, and passes what it keeps to the next stage, split
 * into a priority chunk (error spans, spans of error traces, error logs) and a normal chunk.
 * Metrics pass through untouched.
 *
 * <p>Spans of traces not kept are held for a decision window after the trace's last span; an error
 * span of the trace within the window releases them as priority data, otherwise they are dropped
 * and counted as {@link SamplingOutcome#SAMPLED_OUT} (or {@link SamplingOutcome#RATE_LIMITED}).
 * Held spans are bounded by bytes. Expiry runs on each {@link #accept} and {@link #snapshot()}, so
 * no timer is needed: expiry only drops.
 *
 * <p>Thread-safe: decisions are made under one lock (per request, not per span); the next stage is
 * called outside it. Never throws: if sampling fails unexpectedly the chunk passes unsampled.
 *
 * <p>If the next stage refuses a chunk, the result is {@link IntakeResult.Status#REFUSED} for the
 * whole request so the client retries it; priority data already accepted may then arrive twice
 * (delivery is at-least-once), held spans released by a refused request are held again, and the
 * request's own held spans and rate-limited logs are taken back so the retry counts them once.
 */
public final class TelemetrySampler implements TelemetryIntake {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetrySampler.class);
  private static final long LOG_EVERY_MILLIS = 60_000;

  private final TelemetryIntake next;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final OutcomeCounters counters = new OutcomeCounters();
  private final ServiceLimits services;
  private final PendingTraces pending;
  private final ErroredTraces errored;
  private final SpanSampling spans;
  private final LogSampling logs;
  private final AtomicLong lastFailureLog = new AtomicLong(Long.MIN_VALUE);
  private final String settings;

  TelemetrySampler(TelemetrySamplerBuilder b) {
    this.next = Objects.requireNonNull(b.next, "next");
    this.clock = b.clock;
    this.services = new ServiceLimits(b.policies, b.maxServices);
    this.pending = new PendingTraces(b.pendingMaxBytes, b.decisionWindow.toMillis(), counters);
    this.errored = new ErroredTraces(b.maxErroredTraces, b.erroredRetention.toMillis());
    this.spans = new SpanSampling(pending, errored, services);
    this.logs = new LogSampling(services);
    this.settings = b.toString();
  }

  /** A builder for a sampler passing what it keeps to {@code next}. */
  public static TelemetrySamplerBuilder builder(TelemetryIntake next) {
    return new TelemetrySamplerBuilder(next);
  }

  /** Replaces the policies; applies from the next request on. Thread-safe. */
  public void updatePolicies(SamplingPolicies policies) {
    Objects.requireNonNull(policies, "policies");
    services.update(policies);
  }

  @Override
  public IntakeResult accept(TelemetryChunk chunk) {
    if (chunk.priority()
        || (chunk.traces().getResourceSpansCount() == 0
            && chunk.logs().getResourceLogsCount() == 0)) {
      return forwardUntouched(chunk);
    }
    Decided decided;
    try {
      decided = decide(chunk);
    } catch (RuntimeException e) {
      logFailure(e);
      return next.accept(chunk);
    }
    return forward(chunk, decided);
  }

  /** The counters now (drops held traces whose window has passed first). */
  public SamplerSnapshot snapshot() {
    lock.lock();
    try {
      long now = clock.millis();
      pending.expire(now, true);
      errored.expire(now);
      return new SamplerSnapshot(
          counters.snapshot(),
          pending.traceCount(),
          pending.spanCount(),
          pending.bytes(),
          errored.size(),
          services.effectiveRatios());
    } finally {
      lock.unlock();
    }
  }

  private IntakeResult forwardUntouched(TelemetryChunk chunk) {
    IntakeResult result = next.accept(chunk);
    if (!result.isRefused()) {
      SignalCounts counts = chunk.counts();
      counters.add(Signal.TRACES, SamplingOutcome.KEPT, counts.spans());
      counters.add(Signal.LOGS, SamplingOutcome.KEPT, counts.logRecords());
      counters.add(Signal.METRICS, SamplingOutcome.KEPT, counts.metricPoints());
    }
    return result;
  }

  private Decided decide(TelemetryChunk chunk) {
    lock.lock();
    try {
      long now = clock.millis();
      expire(now);
      SpanSampling.Result traces = spans.split(chunk.traces(), now);
      LogSampling.Result logResult = logs.split(chunk.logs(), now);
      boolean unchanged = traces.normal() == chunk.traces() && logResult.normal() == chunk.logs();
      TelemetryChunk normal =
          unchanged
              ? chunk
              : new TelemetryChunk(traces.normal(), logResult.normal(), chunk.metrics(), false);
      TelemetryChunk priority =
          new TelemetryChunk(
              traces.priority(), logResult.priority(), MetricsData.getDefaultInstance(), true);
      return new Decided(
          normal.isEmpty() ? null : normal,
          priority.isEmpty() ? null : priority,
          traces,
          logResult);
    } finally {
      lock.unlock();
    }
  }

  private void expire(long now) {
    pending.expire(now, false);
    errored.expire(now);
  }

  private IntakeResult forward(TelemetryChunk original, Decided decided) {
    IntakeResult first = IntakeResult.accepted();
    if (decided.priority() != null) {
      first = next.accept(decided.priority());
      if (first.isRefused()) {
        takeBack(decided.traces(), true);
        return refusedWhole(original, first);
      }
      counters.add(Signal.TRACES, SamplingOutcome.KEPT, decided.traces().prioritySpans());
      counters.add(Signal.LOGS, SamplingOutcome.KEPT, decided.logs().priorityLogs());
    }
    if (decided.normal() == null) {
      countRateLimitedLogs(decided);
      return first;
    }
    IntakeResult second = next.accept(decided.normal());
    if (second.isRefused()) {
      takeBack(decided.traces(), false);
      return refusedWhole(original, second);
    }
    counters.add(Signal.TRACES, SamplingOutcome.KEPT, decided.traces().normalSpans());
    counters.add(Signal.LOGS, SamplingOutcome.KEPT, decided.logs().normalLogs());
    counters.add(Signal.METRICS, SamplingOutcome.KEPT, decided.normal().counts().metricPoints());
    countRateLimitedLogs(decided);
    return combine(first, second);
  }

  /** Counted only once the request is taken: a refused one is retried and decided again. */
  private void countRateLimitedLogs(Decided decided) {
    counters.add(Signal.LOGS, SamplingOutcome.RATE_LIMITED, decided.logs().rateLimited());
  }

  /**
   * Undoes what a refused request did to the held spans, as the client retries it whole: its own
   * held spans are withdrawn (the retry holds them again, so they must not be counted twice) and,
   * when its priority chunk was refused, the held spans it released are held again.
   */
  private void takeBack(SpanSampling.Result traces, boolean reholdReleased) {
    List<HeldSpan> released = reholdReleased ? traces.released() : List.of();
    if (released.isEmpty() && traces.held().size() == 0) {
      return;
    }
    lock.lock();
    try {
      pending.withdraw(traces.held());
      long now = clock.millis();
      for (HeldSpan held : released) {
        pending.hold(
            held.traceId(), held.span(), held.resource(), held.scope(), held.reason(), now);
      }
    } finally {
      lock.unlock();
    }
  }

  private static IntakeResult refusedWhole(TelemetryChunk original, IntakeResult refused) {
    String message = refused.message() == null ? "telemetry pipeline is full" : refused.message();
    return IntakeResult.refused(original.counts().total(), message, refused.retryAfter());
  }

  private static IntakeResult combine(IntakeResult first, IntakeResult second) {
    if (first.status() == IntakeResult.Status.ACCEPTED) {
      return second;
    }
    if (second.status() == IntakeResult.Status.ACCEPTED) {
      return first;
    }
    return IntakeResult.partial(
        first.rejectedItems() + second.rejectedItems(), first.message() + "; " + second.message());
  }

  private void logFailure(RuntimeException e) {
    long now = System.currentTimeMillis();
    long last = lastFailureLog.get();
    if (now - last >= LOG_EVERY_MILLIS && lastFailureLog.compareAndSet(last, now)) {
      LOG.warn("Sampling failed, passing the chunk on unsampled", e);
    }
  }

  @Override
  public String toString() {
    return "TelemetrySampler{" + settings + "}";
  }

  private record Decided(
      @Nullable TelemetryChunk normal,
      @Nullable TelemetryChunk priority,
      SpanSampling.Result traces,
      LogSampling.Result logs) {}
}
