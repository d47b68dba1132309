package dev.syntra.agent.archfixture;

import dev.syntra.protocol.archfixture.ProtocolThing;
import dev.syntra.telemetry.archfixture.TelemetryThing;

/** Satisfies the agent-core rule. */
public record AgentUsesTelemetry(TelemetryThing telemetry, ProtocolThing protocol) {}
