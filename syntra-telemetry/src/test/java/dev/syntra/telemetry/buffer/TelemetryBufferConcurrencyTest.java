package dev.syntra.telemetry.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.telemetry.pipeline.IntakeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four intake threads and a shipper that follows a sequence cursor (as the real one does): frames
 * are sealed on several threads at once, yet the cursor never skips one and every span arrives
 * exactly once.
 */
class TelemetryBufferConcurrencyTest {
  private static final int THREADS = 4;
  private static final int CHUNKS_PER_THREAD = 1500;
  private static final int SPANS_PER_CHUNK = 7;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void concurrentIntakeAndShippingDeliverEverySpanExactlyOnce(boolean spooled) throws Exception {
    TelemetryBufferBuilder builder =
        TelemetryBuffer.builder().timer(new ManualTimer()).batchMaxItems(100);
    if (spooled) {
      builder.spool(dir).spoolSegmentBytes(256 << 10);
    }
    TelemetryBuffer buffer = builder.build();
    TelemetryFrameCodec codec = TelemetryFrameCodec.create();
    AtomicBoolean producing = new AtomicBoolean(true);
    Set<Long> delivered = new HashSet<>();
    List<Throwable> failures = new ArrayList<>();
    Thread shipper =
        Thread.ofPlatform()
            .start(() -> {
              long cursor = -1;
              try {
                while (true) {
                  boolean last = !producing.get();
                  List<SealedFrame> frames = buffer.framesAfter(cursor, 8);
                  for (SealedFrame frame : frames) {
                    assertThat(frame.sequence()).isEqualTo(cursor + 1);
                    cursor = frame.sequence();
                    for (long n : Chunks.spanNumbers(codec.decode(frame.bytes()))) {
                      assertThat(delivered.add(n)).as("span %d twice", n).isTrue();
                    }
                    buffer.acknowledge(frame.batchId());
                  }
                  if (last && frames.isEmpty()) {
                    return;
                  }
                  Thread.onSpinWait();
                }
              } catch (Throwable e) {
                synchronized (failures) {
                  failures.add(e);
                }
              }
            });
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long base = t * 1_000_000L;
      producers.add(
          Thread.ofPlatform()
              .start(() -> {
                for (int i = 0; i < CHUNKS_PER_THREAD; i++) {
                  IntakeResult result =
                      buffer.accept(
                          Chunks.spans(
                              base + (long) i * SPANS_PER_CHUNK, SPANS_PER_CHUNK, i % 9 == 0));
                  if (result.status() != IntakeResult.Status.ACCEPTED) {
                    synchronized (failures) {
                      failures.add(new AssertionError("not accepted: " + result));
                    }
                  }
                }
              }));
    }
    for (Thread producer : producers) {
      producer.join(Duration.ofMinutes(1));
    }
    buffer.close(); // seals the last open batches
    producing.set(false);
    shipper.join(Duration.ofMinutes(1));

    assertThat(failures).isEmpty();
    assertThat(delivered).hasSize(THREADS * CHUNKS_PER_THREAD * SPANS_PER_CHUNK);
    assertThat(buffer.stats().frames()).isZero();
    assertThat(buffer.dropCounters().total()).isZero();
  }
}
