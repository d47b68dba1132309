package dev.syntra.server.archfixture;

import dev.syntra.agent.archfixture.AgentThing;

/** Violates the server rule: the server uses only protocol, telemetry and ai. */
public record ServerUsesAgentCore(AgentThing agent) {}
