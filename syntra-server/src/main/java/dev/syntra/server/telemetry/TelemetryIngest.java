package dev.syntra.server.telemetry;

import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.protocol.message.ServerMessage;
import dev.syntra.server.fleet.AgentRef;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Takes the telemetry frames agents send to the hub and stores them durably: each agent session
 * gets an {@link IngestLane}; frames wait in a queue bounded per agent and overall (frames and
 * bytes) and are decoded and written to {@link TelemetryBatches} by a few threads of their own,
 * never the hub's I/O threads. When the queue is full the agent is told to {@code throttle}.
 *
 * <p>Thread-safe. {@link #close()} stops the threads (bounded wait); frames still queued are not
 * acknowledged, so their agents send them again.
 */
@Component
public class TelemetryIngest implements AutoCloseable {
  private final IngestSettings settings;
  private final TelemetryBatches batches;
  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();
  private final IngestBudget queued;
  private final TelemetryMetrics metrics;
  private final ExecutorService workers;

  TelemetryIngest(IngestSettings settings, TelemetryBatches batches, MeterRegistry meters) {
    this.settings = settings;
    this.batches = batches;
    this.queued = new IngestBudget(settings.queueFrames(), settings.queueBytes());
    this.metrics = new TelemetryMetrics(meters, queued);
    // Unbounded as a queue, bounded by admission: nothing is submitted without a budget slot.
    this.workers =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("syntra-telemetry-ingest-", 0).daemon().factory());
  }

  /**
   * A lane for the session of {@code agent}: frames offered there are attributed to the agent's
   * server and organization, and the answers (acks, errors, throttles) go to {@code replies}, which
   * must be thread-safe and must not block.
   */
  public IngestLane lane(AgentRef agent, Consumer<ServerMessage> replies) {
    return new IngestLane(this, agent, replies);
  }

  IngestSettings settings() {
    return settings;
  }

  TelemetryBatches batches() {
    return batches;
  }

  TelemetryFrameCodec codec() {
    return codec;
  }

  IngestBudget queued() {
    return queued;
  }

  TelemetryMetrics metrics() {
    return metrics;
  }

  /** Runs {@code task} on an ingest thread; false when stopping. */
  boolean submit(Runnable task) {
    try {
      workers.execute(task);
      return true;
    } catch (RejectedExecutionException stopping) {
      return false;
    }
  }

  @Override
  public void close() {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TelemetryIngest[" + settings + "]";
  }
}
