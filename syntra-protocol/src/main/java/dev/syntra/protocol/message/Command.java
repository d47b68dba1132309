package dev.syntra.protocol.message;

/**
 * A command the control plane asks the agent to carry out. The agent answers each with a {@link
 * CommandResult} whose envelope {@code reply_to} is the command's id; deploys also stream {@link
 * DeployStatus}. Commands are idempotent per envelope id: a redelivered id is not executed twice.
 */
public sealed interface Command extends ServerMessage
    permits DeployCommand,
        StopCommand,
        ScaleCommand,
        RestartCommand,
        RollbackCommand,
        ExecCommand,
        LogsCommand,
        UpdateAgentCommand,
        ConfigureHealthCheckCommand,
        ConfigureTelemetryCommand {}
