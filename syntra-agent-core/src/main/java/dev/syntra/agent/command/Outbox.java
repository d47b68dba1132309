package dev.syntra.agent.command;

import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.security.SecureIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Reports ({@code deploy_status}, {@code command_result}, {@code alert}) on their way to the
 * control plane. While a session is open they go straight out; otherwise they wait here, in order,
 * and are flushed when the next session opens. Bounded: when full, the oldest message is dropped
 * and counted. Final results also live in the command journal, so a dropped or lost one is resent
 * when the control plane redelivers its command.
 *
 * <p>A message that waited is sent with a fresh nonce, and its timestamp is moved forward just
 * enough to stay inside the receiver's replay window. Thread-safe.
 */
public final class Outbox {
  /** How old a timestamp may be when sent: well inside the 5-minute replay window. */
  static final Duration MAX_AGE = Duration.ofMinutes(4);

  /** Where the outbox sends; returns false when the message could not be handed over. */
  @FunctionalInterface
  public interface Sink {
    boolean send(Envelope envelope);
  }

  private final int maxMessages;
  private final Clock clock;
  private final Deque<Envelope> waiting = new ArrayDeque<>();
  private @Nullable Sink sink;
  private long dropped;

  public Outbox(int maxMessages, Clock clock) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages: must be at least 1");
    }
    this.maxMessages = maxMessages;
    this.clock = clock;
  }

  /** Sends {@code envelope} now if a session is open, else keeps it for the next one. */
  public synchronized void send(Envelope envelope) {
    if (sink != null && waiting.isEmpty() && sink.send(envelope)) {
      return;
    }
    enqueue(envelope);
  }

  /** A session opened: flushes waiting messages in order, then sends directly to {@code sink}. */
  public synchronized void open(Sink newSink) {
    while (!waiting.isEmpty()) {
      Envelope next = refresh(waiting.peekFirst());
      if (!newSink.send(next)) {
        return; // the new session is already gone; keep the rest
      }
      waiting.pollFirst();
    }
    sink = newSink;
  }

  /** The session closed: keep messages from now on. */
  public synchronized void close() {
    sink = null;
  }

  /** Messages waiting for a session. */
  public synchronized int size() {
    return waiting.size();
  }

  /** Messages dropped because the outbox was full. */
  public synchronized long dropped() {
    return dropped;
  }

  private void enqueue(Envelope envelope) {
    if (waiting.size() >= maxMessages) {
      waiting.pollFirst();
      dropped++;
    }
    waiting.addLast(envelope);
  }

  private Envelope refresh(Envelope envelope) {
    Instant floor = clock.instant().minus(MAX_AGE);
    Instant ts = envelope.ts().isBefore(floor) ? floor : envelope.ts();
    return new Envelope(
        envelope.version(),
        envelope.id(),
        ts,
        SecureIds.nonce(),
        envelope.replyTo(),
        envelope.payload());
  }

  @Override
  public synchronized String toString() {
    return "Outbox[size=" + waiting.size() + ", max=" + maxMessages + ", dropped=" + dropped + "]";
  }
}
