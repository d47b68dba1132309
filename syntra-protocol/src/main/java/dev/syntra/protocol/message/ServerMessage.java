package dev.syntra.protocol.message;

/** Messages the control plane sends to the agent. */
public sealed interface ServerMessage extends Message
    permits HelloOk, HelloRejected, Command, TelemetryAck, Throttle, ProtocolError {}
