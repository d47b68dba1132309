package dev.syntra.agent.collect;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a collector's chunks to the pipeline once: a refused chunk, or the rejected part of a
 * partial answer, is counted as dropped and never retried (collectors produce fresh data on their
 * next run; logs commit their position anyway, see the README). Intake failures, which the contract
 * forbids, are caught and counted the same way. Thread-safe.
 */
final class IntakeGate {
  private static final Logger log = LoggerFactory.getLogger(IntakeGate.class);
  private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

  private final String source;
  private final TelemetryIntake intake;
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong acceptedItems = new AtomicLong();
  private final AtomicLong droppedItems = new AtomicLong();
  private final AtomicLong refusedChunks = new AtomicLong();
  private volatile long lastWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS;

  IntakeGate(String source, TelemetryIntake intake) {
    this.source = source;
    this.intake = intake;
  }

  /** Sends {@code chunk}; returns the number of items the pipeline did not keep. */
  long send(TelemetryChunk chunk) {
    if (chunk.isEmpty()) {
      return 0;
    }
    long items = chunk.counts().total();
    chunks.incrementAndGet();
    IntakeResult result;
    try {
      result = intake.accept(chunk);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      result = IntakeResult.refused(items, "intake failed: " + t, java.time.Duration.ZERO);
    }
    long dropped =
        switch (result.status()) {
          case ACCEPTED -> 0;
          case PARTIAL -> Math.min(items, result.rejectedItems());
          case REFUSED -> items;
        };
    if (result.isRefused()) {
      refusedChunks.incrementAndGet();
    }
    acceptedItems.addAndGet(items - dropped);
    if (dropped > 0) {
      droppedItems.addAndGet(dropped);
      long now = System.nanoTime();
      if (now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
        lastWarnNanos = now;
        log.warn(
            "The pipeline did not take {} items from the {} collector ({} dropped so far): {}",
            dropped,
            source,
            droppedItems.get(),
            result.message());
      }
    }
    return dropped;
  }

  /** Counters since start. */
  CollectorStats stats() {
    return new CollectorStats(
        source, chunks.get(), acceptedItems.get(), droppedItems.get(), refusedChunks.get());
  }
}
