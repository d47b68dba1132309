package dev.syntra.agent.command;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.LogChunk;
import dev.syntra.protocol.message.LogsCommand;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log streams started by {@code logs} commands. Lines from the runtime are buffered per stream
 * (bounded; overflow is dropped and reported in the next chunk's {@code dropped_lines}) and sent as
 * {@code log_chunk} messages every {@code flushInterval}. A stream ends with an {@code end: true}
 * chunk when a non-follow read completes or the stream is stopped. Streams belong to a session:
 * when it closes they are closed and the control plane starts them again if it still wants them.
 * Thread-safe.
 */
public final class LogStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogStreams.class);
  private static final int MAX_LINES_PER_CHUNK = 500;
  private static final int MAX_CHARS_PER_CHUNK = 256 * 1024;

  private final RuntimeAdapter adapter;
  private final Clock clock;
  private final int maxStreams;
  private final int maxBufferedLines;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher;
  private final AtomicLong droppedLines = new AtomicLong();
  private volatile Outbox.@Nullable Sink live;

  public LogStreams(
      RuntimeAdapter adapter,
      Clock clock,
      int maxStreams,
      int maxBufferedLines,
      Duration flushInterval) {
    this.adapter = adapter;
    this.clock = clock;
    this.maxStreams = maxStreams;
    this.maxBufferedLines = maxBufferedLines;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "syntra-logs");
          t.setDaemon(true);
          return t;
        });
    flusher.scheduleWithFixedDelay(
        this::flushAll, flushInterval.toMillis(), flushInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends chunks to {@code sink} from now on (a session opened). */
  public void attach(Outbox.Sink sink) {
    live = sink;
  }

  /** The session closed: every stream is closed without a final chunk. */
  public void detach() {
    live = null;
    for (String id : List.copyOf(streams.keySet())) {
      Stream stream = streams.remove(id);
      if (stream != null) {
        stream.subscription.close();
      }
    }
  }

  /** Log lines dropped since the agent started. */
  public long droppedLines() {
    return droppedLines.get();
  }

  /** Streams open now. */
  public int size() {
    return streams.size();
  }

  CommandResult handle(LogsCommand command) {
    if (command.action() == LogsCommand.Action.STOP) {
      Stream stream = streams.remove(command.streamId());
      if (stream != null) {
        stream.subscription.close();
        flush(stream, true);
      }
      return CommandResult.ok();
    }
    if (streams.containsKey(command.streamId())) {
      return CommandResult.failed(
          RuntimeErrorCode.CONFLICT.wireName(),
          "log stream " + command.streamId() + " is already open");
    }
    if (streams.size() >= maxStreams) {
      return CommandResult.failed(
          RuntimeErrorCode.CONFLICT.wireName(),
          "the agent already serves " + maxStreams + " log streams; stop one first");
    }
    Stream stream = new Stream(command.streamId());
    stream.subscription = adapter.logs(command.service(), command.options(), stream::offer);
    streams.put(command.streamId(), stream);
    return CommandResult.ok();
  }

  private void flushAll() {
    try {
      for (Stream stream : streams.values()) {
        boolean complete = stream.completed();
        flush(stream, false);
        if (complete && stream.isEmpty() && streams.remove(stream.id, stream)) {
          flush(stream, true);
        }
      }
    } catch (RuntimeException e) {
      log.warn("Flushing log streams failed", e);
    }
  }

  private void flush(Stream stream, boolean end) {
    do {
      List<LogLine> lines = new ArrayList<>();
      long dropped = stream.drain(lines);
      if (lines.isEmpty() && dropped == 0 && !end) {
        return;
      }
      boolean last = end && stream.isEmpty();
      Outbox.Sink sink = live;
      Envelope chunk = Envelope.of(new LogChunk(stream.id, lines, dropped, last), clock);
      if (sink == null || !sink.send(chunk)) {
        droppedLines.addAndGet(lines.size());
      }
      if (last) {
        return;
      }
    } while (!stream.isEmpty());
  }

  @Override
  public void close() {
    detach();
    flusher.shutdownNow();
  }

  private final class Stream {
    final String id;
    volatile LogSubscription subscription = NONE;
    private final ArrayDeque<LogLine> buffer = new ArrayDeque<>();
    private long droppedSinceLastChunk;

    Stream(String id) {
      this.id = id;
    }

    synchronized void offer(LogLine line) {
      if (buffer.size() >= maxBufferedLines) {
        droppedSinceLastChunk++;
        droppedLines.incrementAndGet();
        return;
      }
      buffer.addLast(line);
    }

    synchronized long drain(List<LogLine> into) {
      int chars = 0;
      while (!buffer.isEmpty()
          && into.size() < MAX_LINES_PER_CHUNK
          && chars < MAX_CHARS_PER_CHUNK) {
        LogLine line = buffer.pollFirst();
        chars += line.message().length();
        into.add(line);
      }
      long dropped = droppedSinceLastChunk;
      droppedSinceLastChunk = 0;
      return dropped;
    }

    synchronized boolean isEmpty() {
      return buffer.isEmpty();
    }

    boolean completed() {
      try {
        return subscription.awaitCompletion(Duration.ZERO);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private static final LogSubscription NONE =
      new LogSubscription() {
        @Override
        public boolean awaitCompletion(Duration timeout) {
          return false;
        }

        @Override
        public void close() {}
      };
}
