package dev.syntra.agent.command;

import dev.syntra.agent.state.CommandJournal;
import dev.syntra.agent.state.JournalEntry;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.agent.telemetrysettings.TelemetrySettingsStore;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.LogsCommand;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.security.SecureIds;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes commands at most once per envelope id (PROTOCOL §2.4) using the durable {@link
 * CommandJournal}:
 *
 * <ul>
 *   <li>a new id is recorded as received (durably), then executed on a bounded pool where commands
 *       changing the same service run in order and different services in parallel; deploys and
 *       rollbacks have their own threads, so they never hold up exec, logs, stop, restart or scale
 *       of other services;
 *   <li>its final messages are made to fit the control plane's message limit ({@link ReplyLimiter})
 *       before they are recorded and sent;
 *   <li>a redelivered id that finished is not executed again: its recorded final messages are sent
 *       again;
 *   <li>a redelivered id that is still executing is ignored (its result follows);
 *   <li>a redelivered id whose entry the journal pruned long ago, but still remembers as a
 *       tombstone, is answered {@code duplicate} and not executed;
 *   <li>an id the journal could not record is answered (and its answer repeated from memory) but
 *       never run;
 *   <li>ids received but never finished before a restart are reconciled at start ({@link
 *       #reconcileInterrupted()}), never re-executed.
 * </ul>
 *
 * Results go through the {@link Outbox}, so they survive a lost connection. Thread-safe.
 */
public final class CommandDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

  /** Answers kept in memory for commands whose outcome the journal could not record. */
  static final int MAX_ANSWERED_IN_MEMORY = 1000;

  private final CommandJournal journal;
  private final Outbox outbox;
  private final MessageCodec codec;
  private final Clock clock;
  private final CommandRunner runner;
  private final Reconciler reconciler;
  private final KeyedExecutor executor;
  private final ReplyLimiter limiter;
  private final Set<String> executing = ConcurrentHashMap.newKeySet();
  private final AnsweredInMemory answeredInMemory = new AnsweredInMemory(MAX_ANSWERED_IN_MEMORY);
  private volatile int maxMessageBytes;
  private volatile boolean closing;

  /**
   * @param threads threads of each lane (deploys and rollbacks; every other command)
   * @param maxPending commands waiting or running at most; more are refused with {@code conflict}
   * @param telemetrySettings where {@code configure_telemetry} stores a service's settings (and
   *     publishes them to the sampler and scraper); null answers it {@code unsupported}
   */
  public CommandDispatcher(
      RuntimeAdapter adapter,
      CommandJournal journal,
      ManagedServices services,
      LogStreams logStreams,
      Outbox outbox,
      MessageCodec codec,
      Clock clock,
      int threads,
      int maxPending,
      @Nullable TelemetrySettingsStore telemetrySettings) {
    this.journal = journal;
    this.outbox = outbox;
    this.codec = codec;
    this.clock = clock;
    this.runner =
        new CommandRunner(adapter, services, logStreams, outbox, clock, telemetrySettings);
    this.reconciler = new Reconciler(adapter, services, clock);
    this.executor = new KeyedExecutor(threads, maxPending);
    this.limiter = new ReplyLimiter(codec);
    this.maxMessageBytes = codec.maxMessageBytes();
  }

  /**
   * Tells {@code observer} of every deploy spec just before it is deployed (it must be quick and
   * not throw; the agent's service catalog records ids and published ports from it).
   */
  public void observeDeploys(
      java.util.function.Consumer<dev.syntra.protocol.runtime.DeploySpec> observer) {
    runner.observeDeploys(observer);
  }

  /**
   * Sets the largest message the control plane accepts ({@code hello_ok} {@code
   * settings.max_frame_bytes}); results are made to fit it, capped by the codec's own bound. Call
   * when a session opens.
   */
  public void limitMessageBytes(int maxFrameBytes) {
    this.maxMessageBytes = Math.min(maxFrameBytes, codec.maxMessageBytes());
  }

  /**
   * Settles every command that was received but not finished before the agent last stopped, and
   * queues the outcomes in the outbox. Call once at start, before the first session.
   */
  public void reconcileInterrupted() {
    for (JournalEntry entry : journal.unfinished()) {
      List<Envelope> finals = reconciler.reconcile(entry);
      log.warn(
          "Command {} ({}) was interrupted by an agent restart; not running it again. Reporting: {}",
          entry.commandId(),
          entry.type().wireName(),
          describe(finals));
      finish(entry.commandId(), finals);
    }
  }

  /** Handles a command from the control plane. Returns quickly; the work runs on the pool. */
  public void dispatch(Envelope envelope) {
    String id = envelope.id();
    if (!(envelope.payload() instanceof Command command)) {
      throw new IllegalArgumentException(envelope.type().wireName() + " is not a command");
    }
    if (executing.contains(id)) {
      log.debug("Command {} is still running; ignoring its redelivery", id);
      return;
    }
    List<Envelope> inMemory = answeredInMemory.get(id);
    if (inMemory != null) {
      log.info("Command {} was already answered; resending its answer from memory", id);
      inMemory.forEach(e -> outbox.send(fresh(e)));
      return;
    }
    var known = journal.get(id);
    if (known.isPresent()) {
      resend(known.get());
      return;
    }
    if (journal.tombstoned(id)) {
      log.warn(
          "Command {} ({}) was executed long ago (its result is no longer kept); not running it"
              + " again",
          id,
          envelope.type().wireName());
      outbox.send(
          Envelope.replyTo(
              envelope,
              CommandResult.failed(
                  "duplicate",
                  "command "
                      + id
                      + " was already received and executed; its result is no longer kept, and"
                      + " it is not run again"),
              clock));
      return;
    }
    if (!executing.add(id)) {
      return;
    }
    try {
      journal.recordReceived(id, command);
    } catch (IOException | RuntimeException e) {
      executing.remove(id);
      log.error("Cannot record command {} in the journal; refusing to run it", id, e);
      Envelope refusal =
          Envelope.replyTo(
              envelope,
              CommandResult.failed(
                  "internal",
                  "the agent cannot write its command journal ("
                      + e.getMessage()
                      + "); the command was not run"),
              clock);
      // Remembered so that a redelivery gets the same answer instead of running the command.
      answeredInMemory.put(id, List.of(refusal));
      outbox.send(refusal);
      return;
    }
    log.info("Running command {} ({})", id, envelope.type().wireName());
    boolean queued = executor.submit(lane(command), key(command, id), () -> execute(envelope));
    if (!queued) {
      finish(
          id,
          List.of(
              Envelope.replyTo(
                  envelope,
                  CommandResult.failed(
                      RuntimeErrorCode.CONFLICT.wireName(),
                      "the agent is busy with "
                          + executor.pending()
                          + " commands; try again later"),
                  clock)));
      executing.remove(id);
    }
  }

  /** Commands executing or waiting now. */
  public int executing() {
    return executing.size();
  }

  private void execute(Envelope envelope) {
    String id = envelope.id();
    try {
      List<Envelope> finals;
      try {
        finals = runner.run(envelope);
      } catch (Throwable t) {
        log.error("Command {} ({}) failed unexpectedly", id, envelope.type().wireName(), t);
        finals =
            List.of(
                Envelope.replyTo(
                    envelope, CommandResult.failed("internal", "the agent failed: " + t), clock));
      }
      if (closing && executor.interrupting()) {
        // Stopped by the agent's shutdown, not by its own outcome: leave it "received" so the next
        // start reconciles it against the runtime instead of reporting a false failure.
        log.warn(
            "Command {} ({}) was interrupted by the agent stopping; the next start reports its"
                + " outcome",
            id,
            envelope.type().wireName());
        return;
      }
      finish(id, finals);
    } finally {
      executing.remove(id);
    }
  }

  /**
   * Makes the final messages fit the message limit, records them durably, then sends them. If the
   * journal cannot record them, they are kept in memory (bounded) so that a redelivery still gets
   * them instead of nothing.
   */
  private void finish(String id, List<Envelope> finals) {
    int limit = maxMessageBytes;
    List<Envelope> fitted = new ArrayList<>(finals.size());
    for (Envelope e : finals) {
      limiter.fit(e, limit).ifPresent(fitted::add);
    }
    List<String> encoded = new ArrayList<>(fitted.size());
    for (Envelope e : fitted) {
      encoded.add(codec.encode(e));
    }
    try {
      journal.recordFinished(id, encoded);
    } catch (IOException | RuntimeException e) {
      log.error(
          "Cannot record the result of command {} in the journal; answering redeliveries from"
              + " memory",
          id,
          e);
      answeredInMemory.put(id, fitted);
    }
    fitted.forEach(outbox::send);
  }

  private void resend(JournalEntry entry) {
    if (!entry.finished()) {
      // Only possible if reconciliation has not run yet; it will send the outcome.
      log.debug("Command {} is being reconciled; ignoring its redelivery", entry.commandId());
      return;
    }
    List<String> messages;
    try {
      messages = journal.finalMessages(entry.commandId());
    } catch (IOException e) {
      log.error("Cannot read the recorded result of command {}", entry.commandId(), e);
      outbox.send(unreadable(entry, e.getMessage()));
      return;
    }
    if (messages.isEmpty()) {
      // Exec output is kept only briefly (it may hold secrets); nothing else to send again.
      log.warn(
          "Command {} ({}) was already executed and its result is no longer kept; not running it"
              + " again",
          entry.commandId(),
          entry.type().wireName());
      outbox.send(noLongerKept(entry));
      return;
    }
    log.info(
        "Command {} was already executed; resending its {} final messages",
        entry.commandId(),
        messages.size());
    for (String message : messages) {
      Envelope recorded;
      try {
        recorded = codec.decode(message);
      } catch (ProtocolException e) {
        // E.g. a result recorded oversized by an older agent: answer, but never resend it as is.
        log.error("Cannot resend the recorded result of command {}", entry.commandId(), e);
        outbox.send(unreadable(entry, e.getMessage()));
        continue;
      }
      limiter.fit(fresh(recorded), maxMessageBytes).ifPresent(outbox::send);
    }
  }

  private Envelope unreadable(JournalEntry entry, @Nullable String why) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        clock.instant(),
        SecureIds.nonce(),
        entry.commandId(),
        CommandResult.failed(
            "internal",
            "the command was already executed, but its recorded result cannot be sent again ("
                + why
                + "); it is not run again"));
  }

  private Envelope noLongerKept(JournalEntry entry) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        clock.instant(),
        SecureIds.nonce(),
        entry.commandId(),
        CommandResult.failed(
            "duplicate",
            "command "
                + entry.commandId()
                + " was already executed at "
                + entry.finishedAt()
                + (entry.type() == MessageType.EXEC
                    ? "; its output is kept only "
                        + CommandJournal.EXEC_OUTPUT_RETENTION.toMinutes()
                        + " minutes"
                    : "; its result was not recorded")
                + ", and it is not run again"));
  }

  /** Same id, fresh ts and nonce: the control plane's replay check saw the old ones. */
  private Envelope fresh(Envelope recorded) {
    return new Envelope(
        recorded.version(),
        recorded.id(),
        clock.instant(),
        SecureIds.nonce(),
        recorded.replyTo(),
        recorded.payload());
  }

  /**
   * The executor lane of {@code command}: quick commands (logs, exec, stop, restart, scale) have
   * their own lane, so slow deploys cannot take every thread from them.
   */
  private static KeyedExecutor.Lane lane(Command command) {
    return switch (command) {
      case DeployCommand c -> KeyedExecutor.Lane.SLOW;
      case RollbackCommand c -> KeyedExecutor.Lane.SLOW;
      default -> KeyedExecutor.Lane.QUICK;
    };
  }

  /**
   * The ordering key of {@code command}: commands changing the same service (deploy, rollback,
   * stop, scale, restart) run one at a time in arrival order, whatever their lane; so a stop for a
   * service whose deploy is running waits for that deploy. Exec and logs never wait for a deploy.
   */
  private static String key(Command command, String id) {
    return switch (command) {
      case DeployCommand c -> c.spec().service().toString();
      case RollbackCommand c -> c.service().toString();
      case StopCommand c -> c.service().toString();
      case ScaleCommand c -> c.service().toString();
      case RestartCommand c -> c.service().toString();
      case ExecCommand c -> "exec/" + id;
      case LogsCommand c -> "logs/" + c.streamId();
      // In order among themselves, but never behind a deploy that may take minutes.
      case ConfigureTelemetryCommand c -> "telemetry/" + c.service();
      default -> "agent/" + id;
    };
  }

  private static String describe(List<Envelope> finals) {
    Envelope last = finals.get(finals.size() - 1);
    return last.payload() instanceof CommandResult r && r.error() != null
        ? "failed: " + r.error().message()
        : "ok";
  }

  /**
   * Waits up to {@code grace} for running commands, then interrupts them. Commands interrupted or
   * not started stay "received" in the journal and are reconciled at the next start.
   */
  public void shutdown(Duration grace) {
    closing = true;
    executor.shutdown(grace);
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }

  /** Answers not in the journal (it could not record them), newest kept; thread-safe. */
  private static final class AnsweredInMemory {
    private final Map<String, List<Envelope>> answers;

    AnsweredInMemory(int max) {
      this.answers =
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Envelope>> eldest) {
              return size() > max;
            }
          };
    }

    synchronized @Nullable List<Envelope> get(String id) {
      return answers.get(id);
    }

    synchronized void put(String id, List<Envelope> finals) {
      answers.put(id, List.copyOf(finals));
    }
  }
}
