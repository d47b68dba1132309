package dev.syntra.agent.command;

import dev.syntra.agent.state.CommandJournal;
import dev.syntra.agent.state.JournalEntry;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.LogsCommand;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes commands at most once per envelope id (PROTOCOL §2.4) using the durable {@link
 * CommandJournal}:
 *
 * <ul>
 *   <li>a new id is recorded as received (durably), then executed on a bounded pool where commands
 *       for the same service run in order and different services in parallel;
 *   <li>a redelivered id that finished is not executed again: its recorded final messages are sent
 *       again;
 *   <li>a redelivered id that is still executing is ignored (its result follows);
 *   <li>ids received but never finished before a restart are reconciled at start ({@link
 *       #reconcileInterrupted()}), never re-executed.
 * </ul>
 *
 * Results go through the {@link Outbox}, so they survive a lost connection. Thread-safe.
 */
public final class CommandDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

  private final CommandJournal journal;
  private final Outbox outbox;
  private final MessageCodec codec;
  private final Clock clock;
  private final CommandRunner runner;
  private final Reconciler reconciler;
  private final KeyedExecutor executor;
  private final Set<String> executing = ConcurrentHashMap.newKeySet();

  /**
   * @param threads commands running in parallel at most
   * @param maxPending commands waiting or running at most; more are refused with {@code conflict}
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
      int maxPending) {
    this.journal = journal;
    this.outbox = outbox;
    this.codec = codec;
    this.clock = clock;
    this.runner = new CommandRunner(adapter, services, logStreams, outbox, clock);
    this.reconciler = new Reconciler(adapter, clock);
    this.executor = new KeyedExecutor(threads, maxPending);
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
    var known = journal.get(id);
    if (known.isPresent()) {
      resend(known.get());
      return;
    }
    if (!executing.add(id)) {
      return;
    }
    try {
      journal.recordReceived(id, command);
    } catch (IOException e) {
      executing.remove(id);
      log.error("Cannot record command {} in the journal; refusing to run it", id, e);
      outbox.send(
          Envelope.replyTo(
              envelope,
              CommandResult.failed(
                  "internal",
                  "the agent cannot write its command journal ("
                      + e.getMessage()
                      + "); the command was not run"),
              clock));
      return;
    }
    log.info("Running command {} ({})", id, envelope.type().wireName());
    boolean queued = executor.submit(key(command, id), () -> execute(envelope));
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
    try {
      finish(envelope.id(), runner.run(envelope));
    } finally {
      executing.remove(envelope.id());
    }
  }

  /** Records the final messages durably, then sends them. */
  private void finish(String id, List<Envelope> finals) {
    List<String> encoded = new ArrayList<>(finals.size());
    for (Envelope e : finals) {
      encoded.add(codec.encode(e));
    }
    try {
      journal.recordFinished(id, encoded);
    } catch (IOException e) {
      log.error("Cannot record the result of command {} in the journal", id, e);
    }
    finals.forEach(outbox::send);
  }

  private void resend(JournalEntry entry) {
    if (!entry.finished()) {
      // Only possible if reconciliation has not run yet; it will send the outcome.
      log.debug("Command {} is being reconciled; ignoring its redelivery", entry.commandId());
      return;
    }
    try {
      List<String> messages = journal.finalMessages(entry.commandId());
      log.info(
          "Command {} was already executed; resending its {} final messages",
          entry.commandId(),
          messages.size());
      for (String message : messages) {
        Envelope recorded = codec.decode(message);
        // Same id, fresh ts and nonce: the control plane's replay check saw the old ones.
        outbox.send(
            new Envelope(
                recorded.version(),
                recorded.id(),
                clock.instant(),
                SecureIds.nonce(),
                recorded.replyTo(),
                recorded.payload()));
      }
    } catch (IOException | ProtocolException e) {
      log.error("Cannot read the recorded result of command {}", entry.commandId(), e);
    }
  }

  private static String key(Command command, String id) {
    return switch (command) {
      case DeployCommand c -> c.spec().service().toString();
      case RollbackCommand c -> c.service().toString();
      case StopCommand c -> c.service().toString();
      case ScaleCommand c -> c.service().toString();
      case RestartCommand c -> c.service().toString();
      case ExecCommand c -> c.service().toString();
      case LogsCommand c -> "logs/" + c.streamId();
      default -> "agent/" + id;
    };
  }

  private static String describe(List<Envelope> finals) {
    Envelope last = finals.get(finals.size() - 1);
    return last.payload() instanceof CommandResult r && r.error() != null
        ? "failed: " + r.error().message()
        : "ok";
  }

  /** Waits up to {@code grace} for running commands; the journal covers the rest. */
  public void shutdown(Duration grace) {
    executor.shutdown(grace);
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }
}
