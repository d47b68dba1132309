package dev.syntra.protocol.message;

/** Messages the agent sends to the control plane. */
public sealed interface AgentMessage extends Message
    permits AgentHello, Heartbeat, DeployStatus, CommandResult, LogChunk, Alert, ProtocolError {}
