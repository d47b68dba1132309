package dev.syntra.agent.telemetry;

import dev.syntra.protocol.message.TelemetryAck;
import java.util.concurrent.atomic.AtomicLong;

/** The shipper's counters; written on the shipper thread, read from any. */
final class ShipperCounters {
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong duplicate = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong oversized = new AtomicLong();
  private volatile int inFlightFrames;
  private volatile long inFlightBytes;

  void sent(int bytes, boolean resend, int frames, long inFlight) {
    framesSent.incrementAndGet();
    bytesSent.addAndGet(bytes);
    if (resend) {
      resent.incrementAndGet();
    }
    inFlight(frames, inFlight);
  }

  void acked(TelemetryAck.Status status, int frames, long inFlight) {
    switch (status) {
      case STORED -> stored.incrementAndGet();
      case DUPLICATE -> duplicate.incrementAndGet();
      case REJECTED -> rejected.incrementAndGet();
    }
    inFlight(frames, inFlight);
  }

  void throttled() {
    throttled.incrementAndGet();
  }

  void oversized() {
    oversized.incrementAndGet();
  }

  void inFlight(int frames, long bytes) {
    inFlightFrames = frames;
    inFlightBytes = bytes;
  }

  ShipperStats snapshot() {
    return new ShipperStats(
        framesSent.get(),
        bytesSent.get(),
        resent.get(),
        stored.get(),
        duplicate.get(),
        rejected.get(),
        throttled.get(),
        oversized.get(),
        inFlightFrames,
        inFlightBytes);
  }
}
