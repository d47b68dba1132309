package dev.syntra.telemetry.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.pipeline.IntakeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many chunks, random shipping with lost acknowledgements, overflow, crashes (the buffer is
 * abandoned without closing, as a killed process leaves its spool) and clean restarts: every
 * accepted span must reach the "server" exactly once (it drops batch ids it has, as the real one
 * does) or be counted as evicted, and the eviction counters must match what is missing.
 */
class TelemetryBufferRandomizedTest {
  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();
  private final MutableClock clock = new MutableClock();
  @TempDir Path dir;

  private final Set<BatchId> stored = new HashSet<>();
  private final Set<Long> delivered = new HashSet<>();
  private final Set<Long> accepted = new HashSet<>();
  private final Map<BatchId, Long> unacknowledged = new HashMap<>();
  private long evicted;
  private ManualTimer timer;

  private TelemetryBuffer open() {
    timer = new ManualTimer();
    return TelemetryBuffer.builder()
        .clock(clock)
        .timer(timer)
        .spool(dir)
        .spoolSegmentBytes(16 << 10)
        .maxBytes(64 << 10)
        .batchMaxBytes(8 << 10)
        .batchMaxItems(50)
        .batchMaxDelay(Duration.ofSeconds(2))
        .build();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void everyAcceptedSpanIsDeliveredExactlyOnceOrCountedAsDropped(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    TelemetryBuffer buffer = open();
    long next = 0;
    for (int step = 0; step < 3000; step++) {
      int action = random.nextInt(100);
      if (action < 60) {
        int count = 1 + random.nextInt(20);
        IntakeResult result = buffer.accept(Chunks.spans(next, count, random.nextInt(4) == 0));
        if (result.status() == IntakeResult.Status.ACCEPTED) {
          for (long n = next; n < next + count; n++) {
            accepted.add(n);
          }
        }
        next += count;
      } else if (action < 75) {
        if (step % 1000 >= 600) {
          continue; // the link is down: the buffer fills, refuses, and errors evict
        }
        ship(buffer, random, 1 + random.nextInt(6), random.nextInt(10) < 7);
      } else if (action < 95) {
        clock.advance(Duration.ofMillis(random.nextInt(3000)));
        timer.runAll();
      } else if (action < 98) {
        evicted += buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL);
        buffer = open(); // crash: the old buffer is abandoned with its files as they are
      } else {
        buffer.close();
        evicted += buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL);
        buffer = open();
      }
    }
    // Drain: close (seals what is open), restart, ship and acknowledge everything.
    buffer.close();
    evicted += buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL);
    buffer = open();
    ship(buffer, random, Integer.MAX_VALUE, true);
    evicted += buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL);
    buffer.close();
    TelemetryBuffer last = open();
    assertThat(last.framesAfter(-1, 10)).isEmpty();
    last.close();

    assertThat(accepted).containsAll(delivered);
    // A frame the server stored but had not acknowledged yet may still be evicted: its items are
    // both delivered and counted. Every other frame was acknowledged in the final drain.
    long deliveredThenEvicted = unacknowledged.values().stream().mapToLong(Long::longValue).sum();
    assertThat(evicted).isEqualTo(accepted.size() - delivered.size() + deliveredThenEvicted);
    assertThat(accepted.size()).isGreaterThan(5_000);
    assertThat(evicted).isPositive();
  }

  private void ship(TelemetryBuffer buffer, SplittableRandom random, int max, boolean ack) {
    List<SealedFrame> frames = buffer.framesAfter(-1, max);
    for (SealedFrame frame : frames) {
      if (stored.add(frame.batchId())) {
        unacknowledged.put(frame.batchId(), frame.counts().spans());
        for (long n : Chunks.spanNumbers(codec.decode(frame.bytes()))) {
          assertThat(delivered.add(n)).as("span %d delivered twice", n).isTrue();
        }
      }
      if (ack || random.nextBoolean()) {
        buffer.acknowledge(frame.batchId());
        unacknowledged.remove(frame.batchId());
      }
    }
  }
}
