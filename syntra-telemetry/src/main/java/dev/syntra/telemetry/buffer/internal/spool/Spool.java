package dev.syntra.telemetry.buffer.internal.spool;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.telemetry.TelemetryChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead log of the buffer's chunks and batch events in segment files {@code <20-digit
 * index>.seg} (0600, in a 0700 directory), each starting with an 8-byte header ("SYSP", version 1)
 * followed by {@link SpoolRecords records}.
 *
 * <p>Segments are deleted oldest first: a segment goes once every batch with a record in it or an
 * older segment has been acknowledged or evicted. Each open batch and each unacknowledged frame
 * pins its oldest segment ({@link #pin}); everything before the oldest pin (and before the segment
 * being written) is dead.
 *
 * <p>Thread-safe; appends are serialized, {@link #sync()} may run concurrently with them.
 */
public final class Spool implements AutoCloseable {
  static final int MAGIC = 0x53595350;
  static final int VERSION = 1;
  static final int HEADER_BYTES = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.seg");

  private final Path dir;
  private final long segmentBytes;
  private final boolean forceOnRoll;
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private final TreeMap<Long, Integer> pins = new TreeMap<>();
  private final long maxChunkId;
  private final int truncations;
  private @Nullable SpoolScan scan;
  private @Nullable FileChannel active;
  private long activeIndex;
  private long activeSize;
  private long diskBytes;
  private volatile boolean dirty;
  private final AtomicLong fsyncs = new AtomicLong();
  private boolean closed;

  private Spool(Path dir, long segmentBytes, boolean forceOnRoll, SpoolScan scan) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.forceOnRoll = forceOnRoll;
    this.scan = scan;
    this.maxChunkId = scan.maxChunkId();
    this.truncations = scan.truncations();
  }

  /**
   * Opens (creating when missing) the spool in {@code dir}, scanning the existing segments and
   * truncating damaged tails. Call {@link #replay} next, before appending.
   *
   * @param forceOnRoll fsync a segment when it is full, before writing the next one
   */
  public static Spool open(Path dir, long segmentBytes, boolean forceOnRoll) throws IOException {
    createPrivateDirectory(dir);
    TreeMap<Long, Path> existing = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
      for (Path file : files) {
        Matcher m = SEGMENT.matcher(file.getFileName().toString());
        if (m.matches()) {
          existing.put(Long.parseLong(m.group(1)), file);
        }
      }
    }
    SpoolScan scan = SpoolScan.scan(existing);
    Spool spool = new Spool(dir, segmentBytes, forceOnRoll, scan);
    for (Map.Entry<Long, Path> e : existing.entrySet()) {
      spool.segments.put(e.getKey(), e.getValue());
      spool.diskBytes += Files.size(e.getValue());
    }
    spool.openSegment(existing.isEmpty() ? 0 : existing.lastKey() + 1);
    return spool;
  }

  /** The largest chunk id found at open; new ids must be larger. */
  public long maxChunkId() {
    return maxChunkId;
  }

  /** Damaged segments truncated at open. */
  public int truncations() {
    return truncations;
  }

  /**
   * Hands what the spool held at open to {@code replay}, then deletes the segments nothing pins.
   * The handler may append (sealing a batch writes a seal record).
   */
  public void replay(SpoolReplay replay) throws IOException {
    SpoolScan s = scan;
    if (s == null) {
      throw new IllegalStateException("replay runs once, right after open");
    }
    s.replay(replay);
    synchronized (this) {
      scan = null;
      deleteDead();
    }
  }

  /**
   * The spool record of a chunk: the chunk serialized once. Thread-safe and lock-free, so callers
   * build it before taking their own lock and append it with {@link #appendRecord}.
   */
  public static byte[] chunkRecord(long chunkId, TelemetryChunk chunk) {
    return SpoolRecords.chunk(chunkId, chunk);
  }

  /** Appends a record from {@link #chunkRecord}; returns the index of the segment it went to. */
  public synchronized long appendRecord(byte[] chunkRecord) throws IOException {
    return write(chunkRecord);
  }

  /** Records that {@code chunkIds} were sealed into the batch {@code batchId}. */
  public synchronized void appendSeal(BatchId batchId, long[] chunkIds) throws IOException {
    write(SpoolRecords.seal(batchId, chunkIds));
  }

  /** Records that a batch was acknowledged or evicted: it is not replayed any more. */
  public synchronized void appendDone(BatchId batchId, boolean evicted) throws IOException {
    write(SpoolRecords.done(batchId, evicted));
  }

  /** Keeps {@code segment} and every later one until as many {@link #unpin} calls. */
  public synchronized void pin(long segment) {
    pins.merge(segment, 1, Integer::sum);
  }

  /** Releases a {@link #pin} and deletes the segments nothing pins any more. */
  public synchronized void unpin(long segment) {
    pins.computeIfPresent(segment, (k, n) -> n == 1 ? null : n - 1);
    deleteDead();
  }

  /** Forces what was written so far to the device; cheap when nothing changed. */
  public void sync() throws IOException {
    if (!dirty) {
      return;
    }
    dirty = false;
    FileChannel channel;
    synchronized (this) {
      channel = active;
    }
    if (channel == null) {
      return;
    }
    try {
      channel.force(false);
      fsyncs.incrementAndGet();
    } catch (ClosedChannelException e) {
      // Rolled or closed meanwhile; both force before closing.
    }
  }

  /** Forces done by {@link #sync()}. */
  public long fsyncs() {
    return fsyncs.get();
  }

  /** Bytes of every segment file. */
  public synchronized long diskBytes() {
    return diskBytes;
  }

  /** Segment files on disk. */
  public synchronized int segmentCount() {
    return segments.size();
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    scan = null;
    FileChannel channel = active();
    channel.force(false);
    channel.close();
  }

  private long write(byte[] record) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (activeSize > HEADER_BYTES && activeSize + record.length > segmentBytes) {
      roll();
    }
    writeFully(active(), ByteBuffer.wrap(record));
    activeSize += record.length;
    diskBytes += record.length;
    dirty = true;
    return activeIndex;
  }

  private void roll() throws IOException {
    FileChannel channel = active();
    if (forceOnRoll) {
      channel.force(false);
    }
    channel.close();
    openSegment(activeIndex + 1);
    deleteDead();
  }

  private void openSegment(long index) throws IOException {
    Path file = dir.resolve(String.format("%020d.seg", index));
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file,
              java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
    writeFully(channel, ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).flip());
    active = channel;
    activeIndex = index;
    activeSize = HEADER_BYTES;
    diskBytes += HEADER_BYTES;
    segments.put(index, file);
  }

  private void deleteDead() {
    if (scan != null) {
      return; // replay still reads the old segments and pins what it rebuilds
    }
    long limit = pins.isEmpty() ? activeIndex : Math.min(pins.firstKey(), activeIndex);
    while (!segments.isEmpty() && segments.firstKey() < limit) {
      Path file = segments.pollFirstEntry().getValue();
      try {
        diskBytes -= Files.size(file);
        Files.delete(file);
      } catch (IOException e) {
        LOG.warn("could not delete spool segment {}: {}", file, e.toString());
      }
    }
  }

  private FileChannel active() {
    FileChannel channel = active;
    if (channel == null) {
      throw new IllegalStateException("no active segment");
    }
    return channel;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("spool path " + dir + " exists and is not a directory", e);
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Override
  public String toString() {
    return "Spool[" + dir + ", segmentBytes=" + segmentBytes + "]";
  }
}
