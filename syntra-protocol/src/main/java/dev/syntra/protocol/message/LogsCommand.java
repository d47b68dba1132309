package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Start or stop a log stream. Lines of a started stream arrive as {@link LogChunk} messages with
 * the same {@code streamId}; a stop names only the stream.
 *
 * @param action start or stop
 * @param streamId the server's id for the stream
 * @param service the service to read (required to start)
 * @param options what to read (required to start)
 */
public record LogsCommand(
    Action action, String streamId, @Nullable ServiceRef service, @Nullable LogOptions options)
    implements Command {

  /** Start or stop. */
  public enum Action {
    START,
    STOP;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LogsCommand {
    Checks.notNull(action, "action");
    Checks.identifier(streamId, "stream_id");
    if (action == Action.START) {
      Checks.notNull(service, "service");
      Checks.notNull(options, "options");
    }
  }

  public static LogsCommand start(String streamId, ServiceRef service, LogOptions options) {
    return new LogsCommand(Action.START, streamId, service, options);
  }

  public static LogsCommand stop(String streamId) {
    return new LogsCommand(Action.STOP, streamId, null, null);
  }

  @Override
  public MessageType type() {
    return MessageType.LOGS;
  }
}
