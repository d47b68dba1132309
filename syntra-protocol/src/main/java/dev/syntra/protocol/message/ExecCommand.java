package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import java.util.List;

/** Run a command (argv, no shell) in a replica; the output comes back in the command result. */
public record ExecCommand(ServiceRef service, List<String> command, ExecOptions options)
    implements Command {
  public ExecCommand {
    Checks.notNull(service, "service");
    command = Checks.list(command, "command");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command: must not be empty");
    }
    Checks.notNull(options, "options");
  }

  @Override
  public MessageType type() {
    return MessageType.EXEC;
  }
}
