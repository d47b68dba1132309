package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the stdout/stderr of every managed service as OTLP logs: one {@link ServiceLogTail} per
 * service from {@code services}, records sent to the intake as chunks (error and fatal records in
 * separate {@code priority} chunks), positions committed after sending and saved to {@value
 * LogPositions#FILE_NAME} in the state directory. {@link #tick()} runs on the collectors'
 * scheduler; the runtime adapter owns the threads that read the streams. Thread-safe.
 */
public final class ContainerLogCollector implements AutoCloseable {
  /** Instrumentation scope of collected logs. */
  public static final String SCOPE_NAME = "dev.syntra.agent.logs";

  private static final Logger log = LoggerFactory.getLogger(ContainerLogCollector.class);
  private static final int MAX_CHUNKS_PER_TICK = 20;

  private final RuntimeAdapter adapter;
  private final Supplier<List<ServiceRef>> services;
  private final LogSettings settings;
  private final LogPositions positions;
  private final IntakeGate gate;
  private final Clock clock;
  private final Map<ServiceRef, ServiceLogTail> tails = new ConcurrentHashMap<>();
  private final AtomicLong queueDrops = new AtomicLong();
  private long nextServiceCheckNanos = System.nanoTime();
  private long nextSaveNanos = System.nanoTime();

  public ContainerLogCollector(
      RuntimeAdapter adapter,
      Supplier<List<ServiceRef>> services,
      Path stateDir,
      TelemetryIntake intake,
      LogSettings settings,
      Clock clock) {
    this.adapter = adapter;
    this.services = services;
    this.settings = settings;
    this.positions = LogPositions.open(stateDir);
    this.gate = new IntakeGate("logs", intake);
    this.clock = clock;
  }

  /** One round: follow new services, stop removed ones, send queued records, save positions. */
  public synchronized void tick() {
    long now = System.nanoTime();
    if (now - nextServiceCheckNanos >= 0) {
      nextServiceCheckNanos = now + settings.replicaCheckInterval().toNanos();
      reconcile();
    }
    for (ServiceLogTail tail : tails.values()) {
      tail.tick(now);
      send(tail);
    }
    if (now - nextSaveNanos >= 0) {
      nextSaveNanos = now + 1_000_000_000L;
      save();
    }
  }

  private void reconcile() {
    Set<ServiceRef> wanted;
    try {
      wanted = new HashSet<>(services.get());
    } catch (RuntimeException e) {
      log.warn("Cannot list the managed services: {}", e.toString());
      return;
    }
    for (ServiceRef service : wanted) {
      tails.computeIfAbsent(service, s -> new ServiceLogTail(s, adapter, positions, settings));
    }
    for (ServiceRef service : List.copyOf(tails.keySet())) {
      if (!wanted.contains(service)) {
        ServiceLogTail tail = tails.remove(service);
        tail.close();
        send(tail);
        queueDrops.addAndGet(tail.droppedRecords());
      }
    }
  }

  private void send(ServiceLogTail tail) {
    for (int i = 0; i < MAX_CHUNKS_PER_TICK; i++) {
      List<LogDraft> drafts = tail.drain(settings.maxRecordsPerChunk());
      if (drafts.isEmpty()) {
        return;
      }
      Map<String, ScopeLogs.Builder> normal = new LinkedHashMap<>();
      Map<String, ScopeLogs.Builder> priority = new LinkedHashMap<>();
      for (LogDraft draft : drafts) {
        LogRecord record = LogRecordMapper.map(draft);
        boolean error =
            record.getSeverityNumberValue() >= SeverityNumber.SEVERITY_NUMBER_ERROR_VALUE;
        (error ? priority : normal)
            .computeIfAbsent(
                draft.replicaId(),
                r ->
                    ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME)))
            .addLogRecords(record);
      }
      gate.send(TelemetryChunk.of(logs(tail.service(), normal), false));
      gate.send(TelemetryChunk.of(logs(tail.service(), priority), true));
      for (LogDraft draft : drafts) {
        positions.commit(draft.key(), draft.last());
      }
    }
  }

  private static LogsData logs(ServiceRef service, Map<String, ScopeLogs.Builder> byReplica) {
    LogsData.Builder data = LogsData.newBuilder();
    byReplica.forEach((replica, scope) ->
        data.addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(OtlpValues.replica(service, replica))
                .addScopeLogs(scope)));
    return data.build();
  }

  private void save() {
    try {
      positions.saveIfDirty(clock.instant());
    } catch (IOException e) {
      log.warn("Cannot save the container log positions: {}", e.toString());
    }
  }

  /** Services followed now. */
  public int services() {
    return tails.size();
  }

  /** Pipeline counters, with records dropped by full per-service queues added to the drops. */
  public CollectorStats stats() {
    long drops = queueDrops.get();
    for (ServiceLogTail tail : tails.values()) {
      drops += tail.droppedRecords();
    }
    CollectorStats s = gate.stats();
    return new CollectorStats(
        s.source(), s.chunks(), s.acceptedItems(), s.droppedItems() + drops, s.refusedChunks());
  }

  /**
   * Stops following, sends what is queued, and saves the positions; records still being joined are
   * read again by the next agent.
   */
  @Override
  public synchronized void close() {
    for (ServiceLogTail tail : tails.values()) {
      tail.close();
    }
    for (ServiceLogTail tail : tails.values()) {
      send(tail);
    }
    tails.clear();
    save();
  }
}
