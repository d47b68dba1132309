package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import org.jspecify.annotations.Nullable;

/**
 * Final answer to a {@link Command}; the envelope {@code reply_to} names the command. Either ok
 * (with an {@link ExecResult} for {@code exec}) or an error with a code and a message.
 */
public record CommandResult(@Nullable Error error, @Nullable ExecResult exec)
    implements AgentMessage {

  /**
   * Why a command failed. {@code code} is a {@code RuntimeErrorCode} wire name, or one of {@code
   * unknown_command}, {@code duplicate} or {@code internal}; peers must accept unknown codes.
   */
  public record Error(String code, String message) {
    public Error {
      Checks.notBlank(code, "code");
      Checks.notNull(message, "message");
    }
  }

  public CommandResult {
    if (error != null && exec != null) {
      throw new IllegalArgumentException("exec: a failed command has no exec result");
    }
  }

  public static CommandResult ok() {
    return new CommandResult(null, null);
  }

  public static CommandResult ok(ExecResult exec) {
    return new CommandResult(null, exec);
  }

  public static CommandResult failed(String code, String message) {
    return new CommandResult(new Error(code, message), null);
  }

  public static CommandResult failed(RuntimeAdapterException e) {
    return failed(e.code().wireName(), String.valueOf(e.getMessage()));
  }

  public boolean isOk() {
    return error == null;
  }

  @Override
  public MessageType type() {
    return MessageType.COMMAND_RESULT;
  }
}
