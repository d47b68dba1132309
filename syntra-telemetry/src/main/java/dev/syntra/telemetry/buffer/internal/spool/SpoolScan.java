package dev.syntra.telemetry.buffer.internal.spool;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.telemetry.TelemetryChunk;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every segment once at open, keeping only where each live chunk is (not its data), then
 * hands the live batches and the unsealed chunks to a {@link SpoolReplay} one at a time, so replay
 * needs no more memory than the frames it rebuilds.
 *
 * <p>A record that is cut short, has an impossible length or a wrong CRC ends its segment: the
 * segment is truncated right before it (a torn tail after a crash; in the middle of a segment it is
 * damage, and nothing after it in that segment can be trusted to be aligned), a warning names the
 * file and offset, and later segments are still read.
 */
final class SpoolScan {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolScan.class);

  private record ChunkLoc(long segment, long payloadOffset, int payloadLength) {}

  private record Sealed(List<ChunkLoc> chunks, int missing) {}

  // In file order, so segments only grow along it.
  private final Map<Long, ChunkLoc> unsealed = new LinkedHashMap<>();
  private final Map<BatchId, Sealed> live = new LinkedHashMap<>();
  private final Map<Long, Path> files = new HashMap<>();
  private long maxChunkId;
  private int truncations;

  /** Scans {@code segments} (index to file, in order), truncating damaged tails. */
  static SpoolScan scan(TreeMap<Long, Path> segments) throws IOException {
    SpoolScan scan = new SpoolScan();
    for (Map.Entry<Long, Path> segment : segments.entrySet()) {
      scan.files.put(segment.getKey(), segment.getValue());
      scan.scanSegment(segment.getKey(), segment.getValue());
    }
    return scan;
  }

  long maxChunkId() {
    return maxChunkId;
  }

  int truncations() {
    return truncations;
  }

  /** Feeds the live batches, then the unsealed chunks, to {@code replay}. */
  void replay(SpoolReplay replay) throws IOException {
    Map<Long, FileChannel> channels = new HashMap<>();
    try {
      for (Map.Entry<BatchId, Sealed> batch : live.entrySet()) {
        List<TelemetryChunk> chunks = new ArrayList<>();
        long first = Long.MAX_VALUE;
        int missing = batch.getValue().missing();
        for (ChunkLoc loc : batch.getValue().chunks()) {
          first = Math.min(first, loc.segment());
          TelemetryChunk chunk = read(channels, loc);
          if (chunk == null) {
            missing++;
          } else {
            chunks.add(chunk);
          }
        }
        replay.sealed(
            new RecoveredBatch(
                batch.getKey(), chunks, first == Long.MAX_VALUE ? -1 : first, missing));
      }
      for (Map.Entry<Long, ChunkLoc> entry : unsealed.entrySet()) {
        TelemetryChunk chunk = read(channels, entry.getValue());
        if (chunk != null) {
          replay.unsealed(entry.getKey(), entry.getValue().segment(), chunk);
        }
      }
    } finally {
      for (FileChannel channel : channels.values()) {
        channel.close();
      }
    }
  }

  private TelemetryChunk read(Map<Long, FileChannel> channels, ChunkLoc loc) throws IOException {
    FileChannel channel = channels.get(loc.segment());
    if (channel == null) {
      channel = FileChannel.open(files.get(loc.segment()), StandardOpenOption.READ);
      channels.put(loc.segment(), channel);
    }
    ByteBuffer payload = ByteBuffer.allocate(loc.payloadLength());
    long at = loc.payloadOffset();
    while (payload.hasRemaining()) {
      int n = channel.read(payload, at + payload.position());
      if (n < 0) {
        throw new EOFException("spool segment " + files.get(loc.segment()) + " shrank");
      }
    }
    payload.flip();
    try {
      return SpoolRecords.parseChunk(payload);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The CRC matched, so this is a writer bug or a foreign file; the chunk counts as lost.
      LOG.warn(
          "spool chunk in {} at {} is unreadable: {}", files.get(loc.segment()), at, e.toString());
      return null;
    }
  }

  private void scanSegment(long index, Path file) throws IOException {
    long size = Files.size(file);
    long offset = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (size < Spool.HEADER_BYTES
          || in.readInt() != Spool.MAGIC
          || in.readInt() != Spool.VERSION) {
        damaged(file, 0, size, "no valid segment header");
        return;
      }
      offset = Spool.HEADER_BYTES;
      byte[] record = new byte[1024];
      while (offset < size) {
        long remaining = size - offset;
        if (remaining < SpoolRecords.PREFIX + SpoolRecords.SUFFIX) {
          damaged(file, offset, size, "a record is cut short");
          return;
        }
        int length = in.readInt();
        if (length < 1 || length > SpoolRecords.MAX_LENGTH || 4L + length + 4 > remaining) {
          damaged(file, offset, size, "a record is cut short or its length " + length + " is bad");
          return;
        }
        int total = 4 + length + SpoolRecords.SUFFIX;
        if (record.length < total) {
          record = new byte[Math.max(total, record.length * 2)];
        }
        ByteBuffer.wrap(record, 0, 4).putInt(length);
        in.readFully(record, 4, length + SpoolRecords.SUFFIX);
        int stored = ByteBuffer.wrap(record, 4 + length, 4).getInt();
        if (stored != SpoolRecords.crc(record, 0, 4 + length)) {
          damaged(file, offset, size, "CRC mismatch");
          return;
        }
        apply(index, offset, record, length);
        offset += total;
      }
    }
  }

  private void apply(long segment, long offset, byte[] record, int length) {
    ByteBuffer payload = ByteBuffer.wrap(record, SpoolRecords.PREFIX, length - 1);
    switch (record[4]) {
      case SpoolRecords.CHUNK -> {
        long chunkId = payload.getLong();
        maxChunkId = Math.max(maxChunkId, chunkId);
        unsealed.put(chunkId, new ChunkLoc(segment, offset + SpoolRecords.PREFIX, length - 1));
      }
      case SpoolRecords.SEAL -> {
        BatchId batchId = BatchId.read(payload);
        int count = payload.getInt();
        List<ChunkLoc> chunks = new ArrayList<>(count);
        int missing = 0;
        for (int i = 0; i < count; i++) {
          long chunkId = payload.getLong();
          maxChunkId = Math.max(maxChunkId, chunkId);
          ChunkLoc loc = unsealed.remove(chunkId);
          if (loc == null) {
            missing++;
          } else {
            chunks.add(loc);
          }
        }
        live.put(batchId, new Sealed(chunks, missing));
      }
      case SpoolRecords.DONE -> live.remove(BatchId.read(payload));
      default -> LOG.warn("spool record of unknown type {} skipped", record[4]);
    }
  }

  private void damaged(Path file, long offset, long size, String why) throws IOException {
    truncations++;
    LOG.warn(
        "spool segment {} is damaged at byte offset {} of {} ({}): truncating it there",
        file,
        offset,
        size,
        why);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(offset);
      channel.force(true);
    }
  }
}
