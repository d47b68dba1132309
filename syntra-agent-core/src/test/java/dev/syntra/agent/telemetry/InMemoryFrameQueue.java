package dev.syntra.agent.telemetry;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.SignalCounts;
import dev.syntra.telemetry.buffer.FrameQueue;
import dev.syntra.telemetry.buffer.SealedFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A FrameQueue for tests: frames are {@code size} bytes whose bytes 8-23 hold the batch id (where a
 * real frame header has it), so a test hub can acknowledge them.
 */
final class InMemoryFrameQueue implements FrameQueue {
  private final TreeMap<Long, SealedFrame> frames = new TreeMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<BatchId> acknowledged = new CopyOnWriteArrayList<>();
  private long nextSequence;

  /** Seals a frame of {@code size} bytes and tells the listeners. */
  SealedFrame seal(int size) {
    SealedFrame frame;
    synchronized (this) {
      BatchId id = BatchId.random();
      ByteBuffer bytes = ByteBuffer.allocate(size);
      bytes.position(8);
      id.write(bytes);
      frame = new SealedFrame(nextSequence++, id, bytes.array(), SignalCounts.ZERO, false);
      frames.put(frame.sequence(), frame);
    }
    listeners.forEach(Runnable::run);
    return frame;
  }

  static BatchId batchIdOf(byte[] frame) {
    return BatchId.read(ByteBuffer.wrap(frame, 8, 16));
  }

  synchronized List<BatchId> pending() {
    return frames.values().stream().map(SealedFrame::batchId).toList();
  }

  List<BatchId> acknowledged() {
    return List.copyOf(acknowledged);
  }

  @Override
  public synchronized List<SealedFrame> framesAfter(long afterSequence, int maxFrames) {
    List<SealedFrame> out = new ArrayList<>();
    for (SealedFrame frame : frames.tailMap(afterSequence, false).values()) {
      if (out.size() == maxFrames) {
        break;
      }
      out.add(frame);
    }
    return out;
  }

  @Override
  public synchronized void acknowledge(BatchId batchId) {
    frames.values().removeIf(f -> f.batchId().equals(batchId));
    acknowledged.add(batchId);
  }

  @Override
  public void onSealed(Runnable listener) {
    listeners.add(listener);
  }
}
